//! A compact trace of what each file imports, kept from the walk so that
//! the calls of the project's cookie helpers are looked for only in files
//! that may import the helper's module, without reading every file again.
//!
//! Each file gets a 256-bit Bloom filter of the identifiers on its import
//! lines (`import a.b`, `from .c import d, e`, the names inside a
//! parenthesised list): 32 bytes per file. A word the filter does not hold
//! is certainly absent; a word it holds is then confirmed by reading the file.

/// The words of a file's imports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ImportWords([u64; 4]);

impl ImportWords {
    /// The words on the import lines of `bytes`.
    pub(crate) fn of(bytes: &[u8]) -> ImportWords {
        let mut words = ImportWords::default();
        let mut in_list = false;
        for line in bytes.split(|byte| *byte == b'\n') {
            let trimmed = trim_start(line);
            let is_import = trimmed.starts_with(b"import ") || trimmed.starts_with(b"from ");
            if !(is_import || in_list) {
                continue;
            }
            let code = match memchr::memchr(b'#', trimmed) {
                Some(at) => &trimmed[..at],
                None => trimmed,
            };
            for word in code
                .split(|byte| !(byte.is_ascii_alphanumeric() || *byte == b'_'))
                .filter(|word| !word.is_empty())
            {
                words.insert(word);
            }
            if is_import && code.contains(&b'(') {
                in_list = !code.contains(&b')');
            } else if in_list && code.contains(&b')') {
                in_list = false;
            }
        }
        words
    }

    fn bits(word: &[u8]) -> [usize; 2] {
        // FNV-1a, then two 8-bit indexes from the hash.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in word {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        [(hash & 0xff) as usize, ((hash >> 8) & 0xff) as usize]
    }

    fn insert(&mut self, word: &[u8]) {
        for bit in ImportWords::bits(word) {
            self.0[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Whether the file may import something spelt `word`.
    pub(crate) fn may_hold(&self, word: &str) -> bool {
        ImportWords::bits(word.as_bytes())
            .iter()
            .all(|bit| self.0[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

fn trim_start(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|byte| !matches!(byte, b' ' | b'\t'))
        .unwrap_or(line.len());
    &line[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_lines_only() {
        let words = ImportWords::of(
            b"import os\nfrom shop.cookies import (\n    remember,\n    forget,  # old\n)\nx = helpers.y()\n    from .auth import login\n",
        );
        for word in ["os", "shop", "cookies", "remember", "forget", "auth", "login"] {
            assert!(words.may_hold(word), "{word}");
        }
        assert!(!words.may_hold("helpers"));
        assert!(!ImportWords::of(b"def f():\n    return 1\n").may_hold("cookies"));
    }
}
