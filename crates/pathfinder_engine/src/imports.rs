//! What a file's import statements bring in, kept from the walk in four
//! bytes per name.
//!
//! A call of a project's cookie helper from another module needs an import
//! that brings it in: the helper itself (`from .cookies import remember`),
//! its class (`from .mixins import AuthMixin`), its module (`from app import
//! cookies`, `import app.cookies`) or everything in its module (`from
//! .cookies import *`). The walk reads every file once; while the bytes are
//! there, the hashes of the names its imports bring in are kept: the
//! imported names, the last two names of each module they may bring in
//! (see [`module_keys`]), and the last name of each module a `*` import
//! empties. The needle search finds the statements on its way
//! ([`ImportReader`]), so the bytes are searched once. Once the walk knows
//! the helpers, only the files that may import one of them are read again,
//! instead of every file of the project. `from app.models import
//! User` brings in `User`, not `models`: a module every file imports from
//! does not make every file a caller.
//!
//! Two names can share a hash (about one pair in four billion): that costs
//! one read, never a missed caller.

#[cfg(test)]
use memchr::memmem;

/// The hashes of what a file's import statements bring in, sorted.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub(crate) struct ImportWords(Box<[u32]>);

/// What the search for import statements looks for.
pub(crate) const IMPORT: &[u8] = b"import";

/// Reads the import statements of a file from the places where `import`
/// occurs in it, in order: the search for them can be another search's.
#[derive(Default)]
pub(crate) struct ImportReader {
    words: Vec<u32>,
    /// Statements already read: `from importlib import import_module`
    /// holds three hits of "import".
    read_up_to: usize,
}

impl ImportReader {
    /// `import` occurs in `bytes` at `hit`.
    pub(crate) fn hit(&mut self, bytes: &[u8], hit: usize) {
        if hit < self.read_up_to {
            return;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |at| at + 1);
        let indent = bytes[line_start..hit]
            .iter()
            .take_while(|byte| matches!(byte, b' ' | b'\t'))
            .count();
        let start = line_start + indent;
        let line = &bytes[start..];
        if starts_with_keyword(line, b"import") || starts_with_keyword(line, b"from") {
            self.read_up_to = start + read_statements(line, &mut self.words);
        }
    }

    #[cfg(test)]
    pub(crate) fn finish(mut self) -> ImportWords {
        self.take()
    }

    /// What was read, for one file; the reader is left for the next one,
    /// with its buffer (a walk thread keeps one reader: one allocation a
    /// file, of the right size).
    pub(crate) fn take(&mut self) -> ImportWords {
        self.words.sort_unstable();
        self.words.dedup();
        let words = ImportWords(Box::from(&self.words[..]));
        self.words.clear();
        self.read_up_to = 0;
        words
    }
}

/// Marks a module whose names a star import brings in.
const STAR: &[u8] = b"*";

/// Marks a module an import names by its last name alone: relative
/// (`from . import cookies`) or one word (`import cookies`), which may
/// be any module of that name.
const DOT: &[u8] = b".";

impl ImportWords {
    /// The imports of `bytes`: every `import` and `from ... import`
    /// statement at any indentation (imports inside functions, `try:` and
    /// `if TYPE_CHECKING:` count), parenthesised and backslash-continued
    /// ones whole (also with a comment inside the parentheses), several on
    /// one line after `;`.
    #[cfg(test)]
    pub(crate) fn of(bytes: &[u8]) -> ImportWords {
        let mut reader = ImportReader::default();
        for hit in memmem::find_iter(bytes, IMPORT) {
            reader.hit(bytes, hit);
        }
        reader.finish()
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

/// The keys of the module `module` (dotted): those of the imports that may
/// bring it in itself, and the key of a `*` import that empties it.
///
/// An import that writes a module's dotted name keeps a key for its last
/// two names (`db.models` for `from django.db import models`); one that
/// names it by its last name alone (`from . import models`, `import
/// models`) keeps that name, marked. The module `weblate.accounts.models`
/// is then brought in by `from weblate.accounts import models`, `from
/// accounts import models` (another root on the path) and `from . import
/// models`, never by `from django.db import models`: a project's files all
/// import that one. A module of one name (`cookies`) is brought in by any
/// import of that name.
pub(crate) fn module_keys(module: &str) -> (Vec<u32>, u32) {
    let mut parts = module.rsplit('.').map(str::as_bytes);
    let last = parts.next().unwrap_or_default();
    let mut keys = vec![hash_joined(&[DOT, last])];
    match parts.next() {
        Some(before) => keys.push(hash_joined(&[before, DOT, last])),
        // A module at the top of its root may be imported from another
        // root above it, by a dotted name that ends with its own.
        None => keys.push(hash(last)),
    }
    (keys, hash_joined(&[STAR, last]))
}

fn starts_with_keyword(text: &[u8], keyword: &[u8]) -> bool {
    text.starts_with(keyword)
        && text
            .get(keyword.len())
            .is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'.' | b'(' | b'\\'))
}

/// A dotted module name as an import writes it: its last two names, and
/// whether it is relative (`from .sub import x`).
#[derive(Clone, Copy, Default)]
struct Dotted<'a> {
    before_last: Option<&'a [u8]>,
    last: Option<&'a [u8]>,
    relative: bool,
}

impl<'a> Dotted<'a> {
    fn push(&mut self, part: &'a [u8]) {
        self.before_last = self.last;
        self.last = Some(part);
    }

    /// `self` followed by `name`.
    fn then(mut self, name: &'a [u8]) -> Dotted<'a> {
        self.push(name);
        self
    }

    /// The keys of the module this name brings in: see [`module_keys`].
    fn add_keys(&self, words: &mut Vec<u32>) {
        let Some(last) = self.last else {
            return;
        };
        words.push(hash(last));
        words.push(match self.before_last {
            Some(before) if !self.relative => hash_joined(&[before, DOT, last]),
            _ => hash_joined(&[DOT, last]),
        });
    }
}

/// Where one import statement is in its reading.
enum State<'a> {
    /// Before its first word.
    Start,
    /// `import a.b as c, d`: the current module, and whether `as` was passed.
    Import { module: Dotted<'a>, renamed: bool },
    /// `from a.b`: the module so far.
    From { source: Dotted<'a> },
    /// `from a.b import x as y, *`: whether the next token starts a name.
    Names { source: Dotted<'a>, first: bool },
    /// Not an import statement.
    Other,
}

impl<'a> State<'a> {
    fn word(&mut self, word: &'a [u8], words: &mut Vec<u32>) {
        match self {
            State::Start => {
                *self = match word {
                    b"import" => State::Import {
                        module: Dotted::default(),
                        renamed: false,
                    },
                    b"from" => State::From {
                        source: Dotted::default(),
                    },
                    _ => State::Other,
                };
            }
            State::Import { module, renamed } => {
                if word == b"as" {
                    *renamed = true;
                } else if !*renamed {
                    module.push(word);
                }
            }
            State::From { source } => {
                if word == b"import" {
                    *self = State::Names {
                        source: *source,
                        first: true,
                    };
                } else {
                    source.push(word);
                }
            }
            State::Names { source, first } => {
                if *first {
                    // The name itself, and the module it is if it is one.
                    source.then(word).add_keys(words);
                    *first = false;
                }
            }
            State::Other => {}
        }
    }

    /// A dot: before the first name of `from`, a relative import.
    fn dot(&mut self) {
        if let State::From { source } = self
            && source.last.is_none()
        {
            source.relative = true;
        }
    }

    fn star(&mut self, words: &mut Vec<u32>) {
        if let State::Names { source, first } = self {
            if *first && let Some(last) = source.last {
                words.push(hash_joined(&[STAR, last]));
            }
            *first = false;
        }
    }

    /// A comma, or the end of the statement (`end`).
    fn comma(&mut self, words: &mut Vec<u32>, end: bool) {
        match self {
            State::Import { module, renamed } => {
                module.add_keys(words);
                *module = Dotted::default();
                *renamed = false;
            }
            State::Names { first, .. } => *first = true,
            _ => {}
        }
        if end {
            *self = State::Start;
        }
    }
}

/// Reads the import statements at the start of `text` (several when `;`
/// separates them) into `words`; returns where they end: the end of the
/// line, past backslash continuations and open parentheses. A comment ends
/// the line, not a parenthesised statement. Dots, parentheses and white
/// space only separate words.
fn read_statements(text: &[u8], words: &mut Vec<u32>) -> usize {
    let mut state = State::Start;
    let mut depth = 0usize;
    let mut at = 0;
    while at < text.len() {
        let byte = text[at];
        if is_word_byte(byte) {
            let length = text[at..]
                .iter()
                .position(|byte| !is_word_byte(*byte))
                .unwrap_or(text.len() - at);
            state.word(&text[at..at + length], words);
            at += length;
            continue;
        }
        match byte {
            b',' => state.comma(words, false),
            b';' => state.comma(words, true),
            b'*' => state.star(words),
            b'.' => state.dot(),
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'\\' if text.get(at + 1) == Some(&b'\n') => at += 1,
            b'\\' if text.get(at + 1..at + 3) == Some(b"\r\n") => at += 2,
            b'#' => {
                let Some(end) = memchr::memchr(b'\n', &text[at..]) else {
                    break;
                };
                at += end;
                continue;
            }
            b'\n' if depth == 0 => {
                state.comma(words, true);
                return at;
            }
            _ => {}
        }
        at += 1;
    }
    state.comma(words, true);
    text.len()
}

/// ASCII letters, digits, `_`, and any non-ASCII byte (a non-ASCII name is
/// one word too): the bytes of a Python name.
pub(crate) fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The FNV-1a hash of `word`, folded to 32 bits.
fn hash(word: &[u8]) -> u32 {
    hash_joined(&[word])
}

/// The hash of `parts` written one after the other, as [`hash`] of the
/// joined text: `[STAR, name]` is `*name`, `[a, DOT, b]` is `a.b`.
fn hash_joined(parts: &[&[u8]]) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ((hash >> 32) ^ hash) as u32
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
            // Roots further up or further down than the import's.
            ("src.app.web.cookies", true, false),
            ("web.cookies", true, false),
            ("other.cookies", false, false),
        ] {
            let (itself, star) = module_keys(module);
            assert_eq!(
                (
                    itself.iter().any(|key| found.keys().contains(key)),
                    found.keys().contains(&star)
                ),
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
        // `models` of django.db is brought in, not any other `models`;
        // a relative import may bring in any.
        let brings = |found: &ImportWords, module: &str| {
            module_keys(module)
                .0
                .iter()
                .any(|key| found.keys().contains(key))
        };
        assert!(brings(&found, "django.db.models"));
        assert!(!brings(&found, "app.models"));
        assert!(!brings(&found, "weblate.accounts.models"));
        let relative = words("from . import models\n");
        assert!(brings(&relative, "weblate.accounts.models"));
        assert!(brings(&relative, "models"));
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
    fn a_comment_inside_parentheses_does_not_end_the_statement() {
        let found = words(
            "from .views import (  # noqa: F401\n    remember,\n    forget,  # old\n)\nx = 1  # import y\n",
        );
        assert!(found.may_bind("remember"));
        assert!(found.may_bind("forget"));
        assert!(!found.may_bind("y"));
        assert!(!found.may_bind("x"));
    }

    #[test]
    fn an_unclosed_parenthesis_ends_at_the_end_of_the_file() {
        let found = words("from app import (\n  cookies,\n");
        assert!(found.may_bind("cookies"));
        assert_eq!(words(""), ImportWords::default());
    }
}
