//! The playground: a local web page where code is scanned as it is typed.
//!
//! `pathfinder playground` binds a [`Playground`] to 127.0.0.1 and serves,
//! from files embedded in the binary, a single page and the JSON API it
//! calls ([`api`]). This is the only crate that knows HTTP. The server never
//! connects anywhere, and the page's Content-Security-Policy forbids it to.
//!
//! A few worker threads share the listener; each request is read (the body
//! up to [`api::MAX_BODY`]), routed by [`api::route`], and answered with the
//! security headers every response carries.

pub mod api;
mod assets;
pub mod examples;

use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread;

use tiny_http::{Header, Response, Server};

/// Requests served at once.
const WORKERS: usize = 4;

/// A bound, not yet serving, playground server.
pub struct Playground {
    server: Arc<Server>,
    port: u16,
}

impl Playground {
    /// Binds to `127.0.0.1:port`; port 0 picks a free one.
    pub fn bind(port: u16) -> io::Result<Playground> {
        let server = Server::http(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .map_err(|error| io::Error::other(error.to_string()))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|address| address.port())
            .ok_or_else(|| io::Error::other("the server has no IP address"))?;
        Ok(Playground {
            server: Arc::new(server),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address of the page.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Serves until the process ends.
    pub fn serve(self) -> io::Result<()> {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let server = Arc::clone(&self.server);
                let port = self.port;
                thread::spawn(move || {
                    loop {
                        match server.recv() {
                            Ok(request) => answer(request, port),
                            Err(error) => return error,
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            if let Ok(error) = worker.join() {
                return Err(error);
            }
        }
        Ok(())
    }
}

fn header<'r>(request: &'r tiny_http::Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|header| header.field.equiv(name))
        .map(|header| header.value.as_str())
}

fn answer(mut request: tiny_http::Request, port: u16) {
    let too_long = request
        .body_length()
        .is_some_and(|length| length > api::MAX_BODY);
    let mut body = Vec::new();
    let mut within_limit = !too_long;
    // Only a POST has a body worth reading.
    if within_limit && request.method() == &tiny_http::Method::Post {
        let limit = api::MAX_BODY as u64 + 1;
        if request
            .as_reader()
            .take(limit)
            .read_to_end(&mut body)
            .is_err()
        {
            return;
        }
        within_limit = body.len() <= api::MAX_BODY;
    }
    let host = header(&request, "Host").map(str::to_string);
    let origin = header(&request, "Origin").map(str::to_string);
    let content_type = header(&request, "Content-Type").map(str::to_string);
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let reply = api::route(
        &api::Request {
            method: &method,
            url: &url,
            host: host.as_deref(),
            origin: origin.as_deref(),
            content_type: content_type.as_deref(),
            body: within_limit.then_some(body.as_slice()),
        },
        port,
    );
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in [
        ("Content-Type", reply.content_type),
        ("Content-Security-Policy", api::CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ] {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The client may have gone; nothing to do about it.
    let _ = request.respond(response);
}
