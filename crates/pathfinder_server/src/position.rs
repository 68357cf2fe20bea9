//! Byte offsets (the engine's positions) to LSP positions (zero-based line,
//! UTF-16 code units) and back, and `file:` URIs to paths and back.

#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;

use lsp_types::{Position, Range};
use pathfinder_diagnostics::{LineIndex, TextLen, TextRange, TextSize};

/// A text with its line starts.
pub(crate) struct Lines<'a> {
    pub(crate) text: &'a str,
    pub(crate) index: LineIndex,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            index: LineIndex::new(text),
        }
    }

    pub(crate) fn position(&self, offset: TextSize) -> Position {
        let mut offset = usize::from(offset.min(self.text.text_len()));
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(TextSize::new(offset as u32));
        let start = usize::from(self.index.line_start(line));
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    pub(crate) fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }

    /// The byte offset of `position`; past the end of a line is its end,
    /// past the last line is the end of the text.
    pub(crate) fn offset(&self, position: Position) -> TextSize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return self.text.text_len();
        }
        let start = usize::from(self.index.line_start(line));
        let line_text = self.index.line_text(line, self.text);
        let mut units = 0;
        for (at, character) in line_text.char_indices() {
            if units >= position.character as usize {
                return TextSize::new((start + at) as u32);
            }
            units += character.len_utf16();
        }
        TextSize::new((start + line_text.len()) as u32)
    }

    pub(crate) fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        TextRange::new(start, end)
    }
}

/// The path of a `file:` URI; `None` for any other scheme.
pub(crate) fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`.
    let path = if rest.starts_with('/') {
        rest
    } else {
        &rest[rest.find('/')?..]
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%'
            && let Some(byte) = path
                .get(at + 1..at + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            decoded.push(byte);
            at += 3;
            continue;
        }
        decoded.push(bytes[at]);
        at += 1;
    }
    let decoded = String::from_utf8(decoded).ok()?;
    // `file:///C:/x` on Windows.
    #[cfg(windows)]
    let decoded = decoded
        .strip_prefix('/')
        .filter(|rest| rest.as_bytes().get(1) == Some(&b':'))
        .map_or(decoded.clone(), str::to_string);
    Some(PathBuf::from(decoded))
}

/// A `file:` URI for an absolute path.
#[cfg(test)]
pub(crate) fn path_to_uri(path: &Path) -> String {
    use std::fmt::Write as _;
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            uri.push(byte as char);
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_both_ways() {
        let text = "a = 'é𝄞x'\nb\r\nc";
        let lines = Lines::new(text);
        let x = TextSize::new(text.find('x').unwrap() as u32);
        // `é` is one UTF-16 unit, `𝄞` two.
        assert_eq!(lines.position(x), Position::new(0, 8));
        assert_eq!(lines.offset(Position::new(0, 8)), x);
        let c = TextSize::new(text.find('c').unwrap() as u32);
        assert_eq!(lines.position(c), Position::new(2, 0));
        assert_eq!(lines.offset(Position::new(2, 0)), c);
        // Past a line's end, past the text's end.
        assert_eq!(
            lines.offset(Position::new(1, 99)),
            TextSize::new(c.to_u32() - 2)
        );
        assert_eq!(lines.offset(Position::new(9, 0)), text.text_len());
        // Inside a surrogate pair: the next character.
        let clef = text.find('𝄞').unwrap();
        assert_eq!(
            lines.offset(Position::new(0, 7)),
            TextSize::new((clef + '𝄞'.len_utf8()) as u32)
        );
    }

    #[test]
    fn file_uris() {
        assert_eq!(
            uri_to_path("file:///tmp/my%20app/views.py"),
            Some(PathBuf::from("/tmp/my app/views.py"))
        );
        assert_eq!(
            uri_to_path("file://localhost/a.py"),
            Some(PathBuf::from("/a.py"))
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(
            path_to_uri(Path::new("/tmp/my app/é.py")),
            "file:///tmp/my%20app/%C3%A9.py"
        );
        assert_eq!(
            uri_to_path(&path_to_uri(Path::new("/tmp/my app/é.py"))),
            Some(PathBuf::from("/tmp/my app/é.py"))
        );
    }
}
