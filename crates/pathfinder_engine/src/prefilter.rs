//! The byte prefilter: a file is parsed only if it contains a needle of an
//! active rule that checks files one by one. Most files of a project never
//! are. Rules with only a project pass find their files themselves.

use aho_corasick::AhoCorasick;
use pathfinder_rules::Rule;

pub(crate) struct Prefilter {
    needles: Option<AhoCorasick>,
}

impl Prefilter {
    pub(crate) fn new(rules: &[&Rule]) -> Prefilter {
        let mut needles: Vec<&str> = rules
            .iter()
            .filter(|rule| rule.checks_files())
            .flat_map(|rule| rule.needles.iter().copied())
            .collect();
        needles.sort_unstable();
        needles.dedup();
        let needles = if needles.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&needles).expect("needles are short literals"))
        };
        Prefilter { needles }
    }

    pub(crate) fn matches(&self, bytes: &[u8]) -> bool {
        self.needles
            .as_ref()
            .is_some_and(|needles| needles.is_match(bytes))
    }
}
