//! What a file's import statements bring in, kept from the walk in four
//! bytes per name.
//!
//! A call of a project's cookie helper from another module needs an import
//! that brings it in: the helper itself (`from .cookies import remember`),
//! its class (`from .mixins import AuthMixin`), its module (`from app import
//! cookies`, `import app.cookies`) or everything in its module (`from
//! .cookies import *`). The walk reads every file once; while the bytes are
//! there, the hashes of the names its imports bring in are kept: the
//! imported names, the last name of each imported module, and the last
//! name of each module a `*` import empties. Once the walk knows the
//! helpers, only the files that may import one of them are read
//! again, instead of every file of the project. `from app.models import
//! User` brings in `User`, not `models`: a module every file imports from
//! does not make every file a caller.
//!
//! Two names can share a hash (about one pair in four billion): that costs
//! one read, never a missed caller.

use memchr::memmem;

/// The hashes of what a file's import statements bring in, sorted.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub(crate) struct ImportWords(Box<[u32]>);

/// Marks a module whose names a star import brings in.
const STAR: &[u8] = b"*";

impl ImportWords {
    /// The imports of `bytes`: every `import` and `from ... import`
    /// statement at any indentation (imports inside functions, `try:` and
    /// `if TYPE_CHECKING:` count), parenthesised and backslash-continued
    /// ones whole, several on one line after `;`.
    pub(crate) fn of(bytes: &[u8]) -> ImportWords {
        let mut words = Vec::new();
        // Statements already read: `from importlib import import_module`
        // holds three hits of "import".
        let mut read_up_to = 0;
        for hit in memmem::find_iter(bytes, b"import") {
            if hit < read_up_to {
                continue;
            }
            let line_start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |at| at + 1);
            let start = line_start
                + bytes[line_start..hit]
                    .iter()
                    .take_while(|byte| matches!(byte, b' ' | b'\t'))
                    .count();
            let line = &bytes[start..];
            if !(starts_with_keyword(line, b"import") || starts_with_keyword(line, b"from")) {
                continue;
            }
            let end = start + statement_end(line);
            for statement in bytes[start..end].split(|byte| *byte == b';') {
                add_statement(statement, &mut words);
            }
            read_up_to = end;
        }
        words.sort_unstable();
        words.dedup();
        ImportWords(words.into_boxed_slice())
    }

    /// The hashes of what the imports bring in, sorted (see [`key`] and
    /// [`module_keys`]).
    pub(crate) fn keys(&self) -> &[u32] {
        &self.0
    }

    #[cfg(test)]
    fn may_contain(&self, word: &[u8]) -> bool {
        self.0.binary_search(&hash(word)).is_ok()
    }

    #[cfg(test)]
    fn may_bind(&self, name: &str) -> bool {
        self.may_contain(name.as_bytes())
    }
}

/// The key of a name an import brings in by name (a function, a class, a
/// module).
pub(crate) fn key(name: &str) -> u32 {
    hash(name.as_bytes())
}

/// The keys of the module `module` (dotted): brought in itself (by its
/// last name), and emptied by a `*` import.
pub(crate) fn module_keys(module: &str) -> (u32, u32) {
    let last = module.rsplit('.').next().unwrap_or(module).as_bytes();
    (hash(last), hash(&[STAR, last].concat()))
}

/// Adds the hashes of what one import statement brings in to `words`.
fn add_statement(statement: &[u8], words: &mut Vec<u32>) {
    let tokens = tokens(statement);
    match tokens.first() {
        Some(Token::Word(b"import")) => {
            for part in tokens[1..].split(|token| *token == Token::Comma) {
                let last = part
                    .iter()
                    .take_while(|token| **token != Token::Word(b"as"))
                    .filter_map(Token::word)
                    .last();
                if let Some(last) = last {
                    words.push(hash(last));
                }
            }
        }
        Some(Token::Word(b"from")) => {
            let Some(import) = tokens
                .iter()
                .position(|token| *token == Token::Word(b"import"))
            else {
                return;
            };
            let source = tokens[1..import].iter().filter_map(Token::word).next_back();
            for part in tokens[import + 1..].split(|token| *token == Token::Comma) {
                match part.first() {
                    Some(Token::Star) => {
                        if let Some(source) = source {
                            words.push(hash(&[STAR, source].concat()));
                        }
                    }
                    Some(Token::Word(name)) => words.push(hash(name)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn starts_with_keyword(text: &[u8], keyword: &[u8]) -> bool {
    text.starts_with(keyword)
        && text
            .get(keyword.len())
            .is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'.' | b'(' | b'\\'))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Token<'a> {
    Word(&'a [u8]),
    Comma,
    Star,
}

impl<'a> Token<'a> {
    fn word(&self) -> Option<&'a [u8]> {
        match self {
            Token::Word(word) => Some(word),
            _ => None,
        }
    }
}

/// The words, commas and stars of one statement; dots, parentheses and
/// white space only separate them.
fn tokens(statement: &[u8]) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < statement.len() {
        let byte = statement[at];
        if is_word_byte(byte) {
            let length = statement[at..]
                .iter()
                .take_while(|byte| is_word_byte(**byte))
                .count();
            tokens.push(Token::Word(&statement[at..at + length]));
            at += length;
            continue;
        }
        match byte {
            b',' => tokens.push(Token::Comma),
            b'*' => tokens.push(Token::Star),
            _ => {}
        }
        at += 1;
    }
    tokens
}

/// ASCII letters, digits, `_`, and any non-ASCII byte (a non-ASCII name is
/// one word too).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The FNV-1a hash of `word`, folded to 32 bits.
fn hash(word: &[u8]) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in word {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ((hash >> 32) ^ hash) as u32
}

/// Where the statement at the start of `text` ends: the end of its line,
/// past backslash continuations and open parentheses, or a comment.
fn statement_end(text: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut at = 0;
    while at < text.len() {
        match text[at] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'\\' if text.get(at + 1) == Some(&b'\n') => at += 1,
            b'\\' if text.get(at + 1..at + 3) == Some(b"\r\n") => at += 2,
            b'\n' if depth == 0 => return at,
            b'#' => {
                return memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |end| at + end);
            }
            _ => {}
        }
        at += 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(source: &str) -> ImportWords {
        ImportWords::of(source.as_bytes())
    }

    #[test]
    fn imported_names_and_modules_are_kept() {
        let found = words(
            "import os\nimport app.web.cookies as c\nfrom .session import remember, forget as f\n\
             def view():\n    from accounts import tokens\n\
             from billing.models import (\n    Invoice,\n    Payment,\n)\n\
             from shop \\\n    import basket\nfrom . import mixins\nfrom .helpers.tools import *\n",
        );
        for name in [
            "remember", "forget", "tokens", "Invoice", "Payment", "basket", "mixins",
        ] {
            assert!(found.may_bind(name), "{name}");
        }
        for (module, named, starred) in [
            ("os", true, false),
            ("app.web.cookies", true, false),
            ("project.shop.basket", true, false),
            ("mixins", true, false),
            ("helpers.tools", false, true),
            ("project.helpers.tools", false, true),
            ("billing.models", false, false),
        ] {
            let (itself, star) = module_keys(module);
            assert_eq!(
                (found.keys().contains(&itself), found.keys().contains(&star)),
                (named, starred),
                "{module}"
            );
        }
    }

    #[test]
    fn the_module_an_import_takes_names_from_is_not_brought_in() {
        let found = words("from app.models import User\nfrom django.db import models\n");
        assert!(found.may_bind("User"));
        assert!(!found.may_bind("app"));
        assert!(!found.may_bind("db"));
        // `models` of django.db is brought in; for `app.models` the scan
        // then looks for `models.name(` in the file's text.
        assert!(found.keys().contains(&module_keys("app.models").0));
    }

    #[test]
    fn words_outside_import_statements_are_not_kept() {
        let found = words(
            "# import cookies\nx = 'from session import y'\nreimport(helpers)\nfrom_cache = important\n\
             import os; from.tokens import t  # import comment\n",
        );
        // A comment, an import inside a string that is not at a line's
        // start, names that only start like the keywords.
        for word in [
            "cookies",
            "y",
            "helpers",
            "important",
            "from_cache",
            "comment",
        ] {
            assert!(!found.may_bind(word), "{word}");
        }
        // A second statement after `;`, and `from.` without a space.
        assert!(found.may_bind("os"));
        assert!(found.may_bind("t"));
    }

    #[test]
    fn a_statement_is_read_once_and_the_next_one_still_is() {
        let found = words("from importlib import import_module\nfrom .cookies import set_it\n");
        assert!(found.may_bind("import_module"));
        assert!(found.may_bind("set_it"));
        assert!(!found.may_bind("importlib"));
    }

    #[test]
    fn an_unclosed_parenthesis_ends_at_the_end_of_the_file() {
        let found = words("from app import (\n  cookies,\n");
        assert!(found.may_bind("cookies"));
        assert_eq!(words(""), ImportWords::default());
    }
}
