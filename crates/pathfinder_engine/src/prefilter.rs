//! The byte prefilter: a file is parsed only if it contains a needle of an
//! active rule that checks files one by one. Most files of a project never
//! are. Rules with only a project pass find their files themselves.
//!
//! The needles go to aho-corasick's packed (Teddy, SIMD) searcher, made for a
//! handful of short literals; the automaton is the fallback where the packed
//! searcher is not available. With a dozen needles the automaton's own
//! prefilter degrades to rare-byte scanning, measurably slower on real trees.

use aho_corasick::AhoCorasick;
use aho_corasick::packed;
use pathfinder_rules::Rule;

pub(crate) enum Prefilter {
    Nothing,
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Prefilter {
    pub(crate) fn new(rules: &[&Rule]) -> Prefilter {
        let needles: Vec<&str> = rules
            .iter()
            .filter(|rule| rule.checks_files())
            .flat_map(|rule| rule.needles.iter().copied())
            .collect();
        Prefilter::from_needles(&needles)
    }

    /// A searcher for any of `needles`.
    pub(crate) fn from_needles(needles: &[&str]) -> Prefilter {
        let mut needles = needles.to_vec();
        needles.sort_unstable();
        needles.dedup();
        if needles.is_empty() {
            return Prefilter::Nothing;
        }
        match packed::Config::new().builder().extend(&needles).build() {
            Some(searcher) => Prefilter::Packed(searcher),
            None => Prefilter::Automaton(
                AhoCorasick::new(&needles).expect("needles are short literals"),
            ),
        }
    }

    pub(crate) fn matches(&self, bytes: &[u8]) -> bool {
        match self {
            Prefilter::Nothing => false,
            Prefilter::Packed(searcher) => searcher.find(bytes).is_some(),
            Prefilter::Automaton(automaton) => automaton.is_match(bytes),
        }
    }
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
}
