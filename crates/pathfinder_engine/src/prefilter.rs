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
//!
//! `import` is one more pattern: the same pass hands each place it occurs
//! to the walk's [`ImportReader`], which keeps what the file imports.
//!
//! The search says which rules' needles the file holds, not only whether
//! it holds one: the file rules whose needles are absent cannot find
//! anything in the file, and are not run over it (a file parsed for its
//! `set_cookie` does not have its `super().__init__(**kwargs)` resolved by
//! the Tornado application rule).

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, Input};
use pathfinder_rules::{Needle, Rule};

use crate::imports::{IMPORT, ImportReader, is_word_byte};

/// A set of the scan's rules, by their place in the list the prefilter was
/// built from: bit `i` for rule `i`. Rules past the 63rd share the last bit,
/// so that a set never leaves out a rule whose needle was found.
pub(crate) type RuleSet = u64;

/// The bit of the rule at `index` in a [`RuleSet`].
pub(crate) fn rule_bit(index: usize) -> RuleSet {
    1 << index.min(63)
}

pub(crate) struct Prefilter {
    searcher: Searcher,
    /// The searcher's patterns: the exact needles of the rules, the needles
    /// that make a file a starting point of the project pass, the anchors
    /// of the case-insensitive needles, and `import` (see
    /// [`Prefilter::search`]); what each one means.
    patterns: Vec<(Vec<u8>, Meaning)>,
    /// For each pattern, the others that can match where it does: one is
    /// the start of the other. The searcher reports one pattern per byte.
    alike: Vec<Box<[usize]>>,
    /// The case-insensitive needles (see [`AnyCase`]).
    any_case: Vec<AnyCase>,
    /// Every rule some needle belongs to.
    all_rules: RuleSet,
}

/// A needle matched in any ASCII case, found by its anchor.
struct AnyCase {
    text: &'static str,
    /// Where the anchor starts in `text`.
    offset: usize,
    /// Whether it must start a string (see `Needle::starts_string`).
    starts_string: bool,
    rules: RuleSet,
}

#[derive(Clone, Copy)]
enum Meaning {
    /// A needle of `rules`, which must start a name when `name` is set (see
    /// `Needle::starts_name`).
    Rule { rules: RuleSet, name: bool },
    /// A needle that makes the file a starting point of the project pass.
    Starting,
    /// A case variant of the anchor of `any_case[_]`.
    Anchor(usize),
    /// Where an import statement may be.
    Import,
}

enum Searcher {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

/// Anchors are at most this long: four bytes keep Teddy's fingerprint
/// useful, and at most 16 case variants.
const ANCHOR_LENGTH: usize = 4;

impl Prefilter {
    #[cfg(test)]
    pub(crate) fn new(rules: &[&Rule]) -> Prefilter {
        Prefilter::with_starting(rules, &[], &[])
    }

    /// The needles of `rules` that check files, `extra` texts matched
    /// exactly (the names of the cookie helpers a project declares, which
    /// may concern any rule), and the needles that make a file a starting
    /// point of the project pass, found by the same search (see
    /// [`Prefilter::search`]). The rule sets of the hits are by the place
    /// of each rule in `rules`.
    pub(crate) fn with_starting(
        rules: &[&Rule],
        extra: &[&'static str],
        starting: &[&'static str],
    ) -> Prefilter {
        let needles: Vec<(Needle, RuleSet)> = rules
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.checks_files())
            .flat_map(|(index, rule)| {
                rule.needles
                    .iter()
                    .map(move |needle| (*needle, rule_bit(index)))
            })
            .chain(extra.iter().map(|text| (Needle::exact(text), RuleSet::MAX)))
            .collect();
        Prefilter::from_list(needles, starting)
    }

    fn from_list(mut needles: Vec<(Needle, RuleSet)>, starting: &[&'static str]) -> Prefilter {
        let all_rules = needles.iter().fold(0, |all, (_, rules)| all | rules);
        // One pattern per needle, for every rule it belongs to.
        needles.sort_unstable_by_key(|(needle, _)| *needle);
        needles.dedup_by(|(needle, rules), (kept, kept_rules)| {
            let same = needle == kept;
            if same {
                *kept_rules |= *rules;
            }
            same
        });
        let mut patterns: Vec<(Vec<u8>, Meaning)> = needles
            .iter()
            .filter(|(needle, _)| !needle.ignore_case)
            .map(|(needle, rules)| {
                let meaning = Meaning::Rule {
                    rules: *rules,
                    name: needle.starts_name,
                };
                (needle.text.as_bytes().to_vec(), meaning)
            })
            .collect();
        patterns.extend(
            starting
                .iter()
                .map(|text| (text.as_bytes().to_vec(), Meaning::Starting)),
        );
        let mut any_case = Vec::new();
        for (needle, rules) in needles.iter().filter(|(needle, _)| needle.ignore_case) {
            let (offset, anchor) = anchor(needle.text.as_bytes());
            let meaning = Meaning::Anchor(any_case.len());
            patterns.extend(
                case_variants(anchor)
                    .into_iter()
                    .map(|text| (text, meaning)),
            );
            any_case.push(AnyCase {
                text: needle.text,
                offset,
                starts_string: needle.starts_string,
                rules: *rules,
            });
        }
        patterns.push((IMPORT.to_vec(), Meaning::Import));
        let alike = patterns
            .iter()
            .enumerate()
            .map(|(index, (text, _))| {
                patterns
                    .iter()
                    .enumerate()
                    .filter(|(other, (other_text, _))| {
                        *other != index
                            && (other_text.starts_with(text) || text.starts_with(other_text))
                    })
                    .map(|(other, _)| other)
                    .collect()
            })
            .collect();

        let texts = patterns.iter().map(|(text, _)| text);
        let searcher = match packed::Config::new()
            .builder()
            .extend(texts.clone())
            .build()
        {
            Some(searcher) => Searcher::Packed(searcher),
            None => {
                Searcher::Automaton(AhoCorasick::new(texts).expect("needles are short literals"))
            }
        };
        Prefilter {
            searcher,
            patterns,
            alike,
            any_case,
            all_rules,
        }
    }

    /// The rules whose needles `bytes` hold.
    pub(crate) fn matches(&self, bytes: &[u8]) -> RuleSet {
        self.search(bytes, false, None).rules
    }

    /// The rules whose needles `bytes` hold and, when `starting` is asked
    /// for, whether they hold a starting needle: one pass over the bytes for
    /// both, which stops as soon as what is asked is known. With `imports`,
    /// the same pass hands every `import` to the reader and goes to the end.
    pub(crate) fn search(
        &self,
        bytes: &[u8],
        starting: bool,
        mut imports: Option<&mut ImportReader>,
    ) -> Hits {
        let mut hits = Hits {
            rules: 0,
            starting: false,
        };
        let reads_imports = imports.is_some();
        let done = |hits: &Hits| {
            !reads_imports && hits.rules == self.all_rules && (hits.starting || !starting)
        };
        let mut at = 0;
        while at < bytes.len() && !done(&hits) {
            let found = match &self.searcher {
                Searcher::Packed(searcher) => searcher
                    .find_in(bytes, aho_corasick::Span::from(at..bytes.len()))
                    .map(|found| (found.pattern().as_usize(), found.start())),
                Searcher::Automaton(automaton) => automaton
                    .find(Input::new(bytes).span(at..bytes.len()))
                    .map(|found| (found.pattern().as_usize(), found.start())),
            };
            let Some((pattern, start)) = found else {
                break;
            };
            // The searcher reports one pattern per starting byte: the others
            // that start at the same byte are tried here, so that none is
            // missed when the search goes on one byte further.
            let rest = &bytes[start..];
            for other in std::iter::once(pattern).chain(self.alike[pattern].iter().copied()) {
                let (text, meaning) = &self.patterns[other];
                if other != pattern && !rest.starts_with(text) {
                    continue;
                }
                match *meaning {
                    Meaning::Rule { rules, name } => {
                        if !name || starts_a_name(bytes, start) {
                            hits.rules |= rules;
                        }
                    }
                    Meaning::Starting => hits.starting |= starting,
                    Meaning::Anchor(needle) => {
                        let needle = &self.any_case[needle];
                        let found = start.checked_sub(needle.offset).is_some_and(|from| {
                            bytes
                                .get(from..from + needle.text.len())
                                .is_some_and(|whole| {
                                    whole.eq_ignore_ascii_case(needle.text.as_bytes())
                                })
                                && (!needle.starts_string || starts_a_string(bytes, from))
                        });
                        if found {
                            hits.rules |= needle.rules;
                        }
                    }
                    Meaning::Import => {
                        if let Some(reader) = imports.as_deref_mut() {
                            reader.hit(bytes, start);
                        }
                    }
                }
            }
            at = start + 1;
        }
        hits
    }
}

/// Whether the text at `at` starts a string or a line of one: after a
/// quote, a newline, or the escape `\n`.
fn starts_a_string(bytes: &[u8], at: usize) -> bool {
    match at.checked_sub(1).map(|before| bytes[before]) {
        None | Some(b'"' | b'\'' | b'\n') => true,
        Some(b'n') => at >= 2 && bytes[at - 2] == b'\\',
        Some(_) => false,
    }
}

/// Whether the text at `at` starts a name: the byte before can be no part
/// of one.
fn starts_a_name(bytes: &[u8], at: usize) -> bool {
    at.checked_sub(1)
        .is_none_or(|before| !is_word_byte(bytes[before]))
}

/// What [`Prefilter::search`] found.
pub(crate) struct Hits {
    /// The rules whose needles were found.
    pub(crate) rules: RuleSet,
    /// A needle that makes the file a starting point of the project pass.
    pub(crate) starting: bool,
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
        assert!(prefilter.finds(b"x = 1\nresponse.set_cookie('a')\n"));
        assert!(prefilter.finds(b"headers['set-cookie'] = v"));
        assert!(!prefilter.finds(b"import os\nprint('hello')\n"));
        assert!(!Prefilter::new(&[]).finds(b"set_cookie"));
    }

    impl Prefilter {
        fn from_needles(needles: &[&'static str]) -> Prefilter {
            Prefilter::from_list(
                needles
                    .iter()
                    .map(|text| (Needle::exact(text), rule_bit(0)))
                    .collect(),
                &[],
            )
        }

        fn finds(&self, bytes: &[u8]) -> bool {
            self.matches(bytes) != 0
        }
    }

    #[test]
    fn header_names_match_in_any_case() {
        let prefilter = Prefilter::new(pathfinder_rules::rules());
        // Header names in strings in any case, then prose that mentions the
        // header and near misses.
        for (text, expected) in [
            (&b"resp['set-Cookie'] = 'sid=1'"[..], true),
            (b"resp['SeT-cOoKiE'] = 'sid=1'", true),
            (b"x = 'offset-' + '\\r\\nSET-COOKIE: a=b'", true),
            (b"x = \"\"\"HTTP/1.1 200 OK\nSet-Cookie: a=b\"\"\"", true),
            (b"SET-COOKIE", true),
            (b"offset-x = 1", false),
            (b"\"\"\"Headers such as Set-Cookie are kept.\"\"\"", false),
            (b"# the set-cookie header", false),
            (b"'reset-SET-COOKIE'", false),
            (b"'set-cooki'", false),
            (b"et-cookie", false),
            (b"", false),
        ] {
            assert_eq!(
                prefilter.finds(text),
                expected,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn one_search_finds_rule_and_starting_needles() {
        let prefilter = Prefilter::with_starting(
            pathfinder_rules::rules(),
            &[],
            pathfinder_rules::STARTING_NEEDLES,
        );
        let found = |text: &[u8], starting: bool| {
            let hits = prefilter.search(text, starting, None);
            (hits.rules != 0, hits.starting)
        };
        let both = b"os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\nr.set_cookie('a')\n";
        assert_eq!(found(both, true), (true, true));
        // Not asked for: the search stops at the rules' needle.
        assert!(found(both, false).0);
        assert_eq!(found(b"DJANGO_SETTINGS_MODULE = 1", true), (false, true));
        assert_eq!(found(b"r.set_cookie('a')", true), (true, false));
        assert_eq!(found(b"headers = {'Set-Cookie': v}", true), (true, false));
        assert_eq!(found(b"print('hello')", true), (false, false));
        assert!(!Prefilter::from_needles(&[]).finds(b"set_cookie"));
    }

    #[test]
    fn the_search_reads_every_import_past_the_needles() {
        let prefilter = Prefilter::new(pathfinder_rules::rules());
        let mut reader = ImportReader::default();
        let text = b"from a import set_cookie\nr.set_cookie(1)\n\ndef f():\n    from .auth import remember\n";
        assert_ne!(prefilter.search(text, false, Some(&mut reader)).rules, 0);
        let words = reader.finish();
        for name in ["set_cookie", "remember"] {
            assert!(words.keys().contains(&crate::imports::key(name)), "{name}");
        }
    }

    #[test]
    fn patterns_that_start_alike_are_all_tried() {
        let prefilter = Prefilter::from_needles(&["set_cookie", "set_cookies_now", "set"]);
        assert!(prefilter.finds(b"x.set_cookies_now()"));
        let only_long = Prefilter::from_needles(&["set_cookies_now"]);
        assert!(only_long.finds(b"x.set_cookies_now()"));
        assert!(!only_long.finds(b"x.set_cookies()"));
        // `import` is how imports are found, not a needle of the rules.
        assert!(!only_long.finds(b"import os"));
        // A rule's needle that is also the start of an import is both.
        let both = Prefilter::from_needles(&["imp"]);
        let mut reader = ImportReader::default();
        assert_ne!(
            both.search(b"import cookies\n", false, Some(&mut reader))
                .rules,
            0
        );
        assert!(
            reader
                .finish()
                .keys()
                .contains(&crate::imports::key("cookies"))
        );
    }

    #[test]
    fn the_search_says_whose_needles_it_found() {
        let needles = vec![
            (Needle::exact("set_cookie"), rule_bit(0)),
            (Needle::exact("set_cookie"), rule_bit(1)),
            (Needle::name("Application("), rule_bit(2)),
            (Needle::header("set-cookie"), rule_bit(3)),
            (Needle::header("set-cookie"), rule_bit(70)),
        ];
        let prefilter = Prefilter::from_list(needles, &[]);
        let cases: [(&[u8], RuleSet); 8] = [
            (b"r.set_cookie('a', 1)", 0b11),
            (b"app = web.Application([])", 0b100),
            (b"app = Application([])", 0b100),
            // Other names that end alike are not the class.
            (b"part = MIMEApplication(data)", 0),
            (b"x = _Application(1)", 0),
            (b"x = \xc3\xa9Application(1)", 0),
            (b"headers = [('Set-Cookie', v)]", 0b1000 | rule_bit(63)),
            (b"r.set_cookie(1)\napp = tornado.web.Application()", 0b111),
        ];
        for (text, expected) in cases {
            assert_eq!(
                prefilter.matches(text),
                expected,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn every_rule_of_the_registry_is_found_by_its_own_needles() {
        let rules = pathfinder_rules::rules();
        let prefilter = Prefilter::new(rules);
        for (index, rule) in rules.iter().enumerate() {
            if !rule.checks_files() {
                continue;
            }
            for needle in rule.needles {
                let found = prefilter.matches(needle.text.as_bytes());
                assert_ne!(found & rule_bit(index), 0, "{} {}", rule.id, needle.text);
            }
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
