//! The byte prefilter: a file is parsed only if it contains a needle of an
//! active rule that checks files one by one. Most files of a project never
//! are. Rules with only a project pass find their files themselves.
//!
//! The needles go to aho-corasick's packed (Teddy, SIMD) searcher, made for a
//! handful of short literals; the automaton is the fallback where the packed
//! searcher is not available. With a dozen needles the automaton's own
//! prefilter degrades to rare-byte scanning, measurably slower on real trees.
//!
//! A needle the rule compares in any ASCII case (`Set-Cookie`) would need
//! every case variant of itself as a pattern, far too many for Teddy. Its
//! *anchor* is searched instead: the window of at most four bytes holding the
//! fewest letters (`set-`), in its few case variants; a hit is then checked
//! against the whole needle, case-insensitively.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, Input};
use pathfinder_rules::{Needle, Rule};

pub(crate) struct Prefilter {
    searcher: Searcher,
    /// How many of the searcher's patterns, the first ones, are exact needles;
    /// the others are anchors.
    exact: usize,
    /// The case-insensitive needles, with where their anchor starts in them.
    any_case: Vec<(&'static str, usize)>,
}

enum Searcher {
    Nothing,
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

/// Anchors are at most this long: four bytes keep Teddy's fingerprint
/// useful, and at most 16 case variants.
const ANCHOR_LENGTH: usize = 4;

impl Prefilter {
    #[cfg(test)]
    pub(crate) fn new(rules: &[&Rule]) -> Prefilter {
        Prefilter::with_extra(rules, &[])
    }

    /// The needles of `rules` that check files, and `extra` texts matched exactly (the names
    /// of the cookie helpers a project declares).
    pub(crate) fn with_extra(rules: &[&Rule], extra: &[&'static str]) -> Prefilter {
        let needles: Vec<Needle> = rules
            .iter()
            .filter(|rule| rule.checks_files())
            .flat_map(|rule| rule.needles.iter().copied())
            .chain(extra.iter().map(|text| Needle::exact(text)))
            .collect();
        Prefilter::from_list(needles)
    }

    /// A searcher for any of `needles`, matched exactly.
    pub(crate) fn from_needles(needles: &[&'static str]) -> Prefilter {
        Prefilter::from_list(needles.iter().map(|text| Needle::exact(text)).collect())
    }

    fn from_list(mut needles: Vec<Needle>) -> Prefilter {
        needles.sort_unstable_by_key(|needle| (needle.text, needle.ignore_case));
        needles.dedup();
        // Exact needles come first: when an exact needle and an anchor start
        // at the same byte, the searcher reports the one added first.
        let mut texts: Vec<Vec<u8>> = needles
            .iter()
            .filter(|needle| !needle.ignore_case)
            .map(|needle| needle.text.as_bytes().to_vec())
            .collect();
        let exact = texts.len();
        let mut any_case = Vec::new();
        for needle in needles.iter().filter(|needle| needle.ignore_case) {
            let (offset, anchor) = anchor(needle.text.as_bytes());
            texts.extend(case_variants(anchor));
            any_case.push((needle.text, offset));
        }

        let searcher = if texts.is_empty() {
            Searcher::Nothing
        } else {
            match packed::Config::new().builder().extend(&texts).build() {
                Some(searcher) => Searcher::Packed(searcher),
                None => Searcher::Automaton(
                    AhoCorasick::new(&texts).expect("needles are short literals"),
                ),
            }
        };
        Prefilter {
            searcher,
            exact,
            any_case,
        }
    }

    pub(crate) fn matches(&self, bytes: &[u8]) -> bool {
        let mut at = 0;
        while at < bytes.len() {
            let found = match &self.searcher {
                Searcher::Nothing => return false,
                Searcher::Packed(searcher) => searcher
                    .find_in(bytes, aho_corasick::Span::from(at..bytes.len()))
                    .map(|found| (found.pattern().as_usize(), found.start())),
                Searcher::Automaton(automaton) => automaton
                    .find(Input::new(bytes).span(at..bytes.len()))
                    .map(|found| (found.pattern().as_usize(), found.start())),
            };
            let Some((pattern, start)) = found else {
                return false;
            };
            if pattern < self.exact {
                return true;
            }
            // Every case-insensitive needle is tried at the anchor's hit, so
            // two needles sharing an anchor are both seen.
            let whole = |(needle, offset): &(&str, usize)| {
                start
                    .checked_sub(*offset)
                    .and_then(|from| bytes.get(from..from + needle.len()))
                    .is_some_and(|whole| whole.eq_ignore_ascii_case(needle.as_bytes()))
            };
            if self.any_case.iter().any(whole) {
                return true;
            }
            // A hit that is not the whole needle: look again one byte on, so
            // an overlapping occurrence is not skipped.
            at = start + 1;
        }
        false
    }
}

/// The window of `needle` (at most [`ANCHOR_LENGTH`] bytes) with the fewest
/// ASCII letters, and where it starts.
fn anchor(needle: &[u8]) -> (usize, &[u8]) {
    let length = needle.len().min(ANCHOR_LENGTH);
    (0..=needle.len() - length)
        .map(|start| (start, &needle[start..start + length]))
        .min_by_key(|(_, window)| {
            window
                .iter()
                .filter(|byte| byte.is_ascii_alphabetic())
                .count()
        })
        .unwrap_or((0, needle))
}

/// Every ASCII case variant of `text`.
fn case_variants(text: &[u8]) -> Vec<Vec<u8>> {
    let mut variants = vec![Vec::with_capacity(text.len())];
    for byte in text {
        if byte.is_ascii_alphabetic() {
            let mut upper = variants.clone();
            for variant in &mut variants {
                variant.push(byte.to_ascii_lowercase());
            }
            for variant in &mut upper {
                variant.push(byte.to_ascii_uppercase());
            }
            variants.extend(upper);
        } else {
            for variant in &mut variants {
                variant.push(*byte);
            }
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_any_needle() {
        let prefilter = Prefilter::new(pathfinder_rules::rules());
        assert!(prefilter.matches(b"x = 1\nresponse.set_cookie('a')\n"));
        assert!(prefilter.matches(b"headers['set-cookie'] = v"));
        assert!(!prefilter.matches(b"import os\nprint('hello')\n"));
        assert!(!Prefilter::new(&[]).matches(b"set_cookie"));
    }

    #[test]
    fn header_names_match_in_any_case() {
        let prefilter = Prefilter::new(pathfinder_rules::rules());
        for text in [
            &b"resp['set-Cookie'] = 'sid=1'"[..],
            b"resp['SeT-cOoKiE'] = 'sid=1'",
            b"x = 'offset-' + 'reset-SET-COOKIE'",
            b"set-set-cookie",
            b"SET-COOKIE",
        ] {
            assert!(prefilter.matches(text), "{}", String::from_utf8_lossy(text));
        }
        for text in [&b"offset-x = 1"[..], b"set-cooki", b"et-cookie", b""] {
            assert!(
                !prefilter.matches(text),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn anchors_and_variants() {
        assert_eq!(anchor(b"set-cookie"), (0, &b"set-"[..]));
        assert_eq!(anchor(b"ab"), (0, &b"ab"[..]));
        assert_eq!(case_variants(b"a-b").len(), 4);
        assert!(case_variants(b"a-b").contains(&b"A-b".to_vec()));
    }
}
