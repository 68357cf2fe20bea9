//! The base protocol: `Content-Length` framed JSON over a byte stream.
//!
//! `lsp-server`'s own stdio reader stops at the first message it cannot
//! decode; ours reports a malformed message and goes on, so one bad write
//! from a client does not end the session. Only a stream whose framing is
//! lost (no `Content-Length`, a header that is not text) ends the reader.

use std::io::{self, BufRead, Read};

use crossbeam_channel::Sender;
use lsp_server::Message;

/// The largest message body read; a larger one is skipped and reported.
pub(crate) const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What the reader hands the server.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// A framed body that is not a JSON-RPC message: JSON-RPC's parse error
    /// (`-32700`) or invalid request (`-32600`), with a reason.
    Malformed {
        code: i32,
        reason: String,
    },
}

/// Reads messages until the stream ends, its framing is lost, or the
/// server stops listening. Dropping the sender tells the server that the
/// input is closed.
pub(crate) fn read_all(input: &mut dyn BufRead, sender: &Sender<Incoming>) {
    loop {
        let Ok(Some(body)) = read_body(input) else {
            return;
        };
        let incoming = match body {
            Body::Text(bytes) => decode(&bytes),
            Body::TooLarge(size) => Incoming::Malformed {
                code: lsp_server::ErrorCode::InvalidRequest as i32,
                reason: format!(
                    "message of {size} bytes is larger than the limit of {MAX_MESSAGE_BYTES}"
                ),
            },
        };
        if sender.send(incoming).is_err() {
            return;
        }
    }
}

enum Body {
    Text(Vec<u8>),
    TooLarge(usize),
}

fn decode(bytes: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Malformed {
                code: lsp_server::ErrorCode::ParseError as i32,
                reason: format!("not JSON: {error}"),
            };
        }
    };
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(error) => Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            reason: format!("not a JSON-RPC message: {error}"),
        },
    }
}

/// One message body; `None` at the end of the stream.
fn read_body(input: &mut dyn BufRead) -> io::Result<Option<Body>> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    let mut in_headers = false;
    loop {
        line.clear();
        if input.take(64 * 1024).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if in_headers {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        in_headers = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("Content-Length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a message without a valid Content-Length",
        ));
    };
    if length > MAX_MESSAGE_BYTES {
        let skipped = io::copy(&mut input.take(length as u64), &mut io::sink())?;
        if skipped < length as u64 {
            return Ok(None);
        }
        return Ok(Some(Body::TooLarge(length)));
    }
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Ok(Some(Body::Text(body))),
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read(stream: &str) -> Vec<Incoming> {
        let (sender, receiver) = crossbeam_channel::unbounded();
        read_all(&mut stream.as_bytes(), &sender);
        drop(sender);
        receiver.into_iter().collect()
    }

    #[test]
    fn bad_bodies_are_reported_and_reading_goes_on() {
        let stream = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":1}"#),
            frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#),
        ]
        .concat();
        let got = read(&stream);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(matches!(got[0], Incoming::Malformed { code: -32700, .. }));
        assert!(matches!(got[1], Incoming::Malformed { code: -32600, .. }));
        assert!(
            matches!(&got[2], Incoming::Message(Message::Request(request)) if request.method == "shutdown")
        );
    }

    #[test]
    fn lost_framing_and_truncation_end_the_stream() {
        assert!(read("hello\r\n\r\n{}").is_empty());
        assert!(read("Content-Length: 100\r\n\r\n{}").is_empty());
        let extra_header = "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}";
        assert!(matches!(
            read(extra_header).as_slice(),
            [Incoming::Malformed { code: -32600, .. }]
        ));
    }
}
