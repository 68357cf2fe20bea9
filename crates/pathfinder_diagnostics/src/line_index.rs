//! Conversion from byte offsets to one-based lines and columns.

use ruff_text_size::{TextLen, TextSize};

/// A one-based line and a one-based column counted in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// The start offset of every line of a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<TextSize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(TextSize::new(0));
        let bytes = text.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'\n' => line_starts.push(TextSize::new(index as u32 + 1)),
                b'\r' if bytes.get(index + 1) != Some(&b'\n') => {
                    line_starts.push(TextSize::new(index as u32 + 1));
                }
                _ => {}
            }
            index += 1;
        }
        LineIndex { line_starts }
    }

    /// The zero-based index of the line holding `offset`.
    pub fn line_of(&self, offset: TextSize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> TextSize {
        self.line_starts[line]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The one-based line and column of `offset` in `text`.
    pub fn line_column(&self, offset: TextSize, text: &str) -> LineColumn {
        let offset = offset.min(text.text_len());
        let line = self.line_of(offset);
        let start = usize::from(self.line_starts[line]);
        let end = usize::from(offset);
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        LineColumn {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The text of the zero-based `line`, without its line ending.
    pub fn line_text<'a>(&self, line: usize, text: &'a str) -> &'a str {
        let start = usize::from(self.line_starts[line]);
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |next| usize::from(*next));
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, offset: u32, expect: (usize, usize)) {
        let index = LineIndex::new(text);
        let found = index.line_column(TextSize::new(offset), text);
        assert_eq!(
            (found.line, found.column),
            expect,
            "offset {offset} in {text:?}"
        );
    }

    #[test]
    fn lines_and_columns() {
        check("a\nbc\n", 0, (1, 1));
        check("a\nbc\n", 3, (2, 2));
        check("a\r\nbc", 3, (2, 1));
        check("a\rbc", 2, (2, 1));
        check("é=1\nx", 3, (1, 3));
        check("", 0, (1, 1));
    }

    #[test]
    fn line_text_strips_endings() {
        let text = "one\r\ntwo\nthree";
        let index = LineIndex::new(text);
        assert_eq!(index.line_text(0, text), "one");
        assert_eq!(index.line_text(1, text), "two");
        assert_eq!(index.line_text(2, text), "three");
        assert_eq!(index.line_count(), 3);
    }
}
