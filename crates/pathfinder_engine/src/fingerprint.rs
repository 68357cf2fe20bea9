//! Stable fingerprints of findings, for SARIF `partialFingerprints`, baselines
//! and the markers of pull-request comments.
//!
//! A fingerprint depends on the rule, the file, the text of the flagged code
//! with its white space removed, and how many identical findings precede it in
//! the file; not on line numbers, so unrelated edits above a finding keep it.
//! The [`crate::pipeline`] computes them over every finding of a text, before
//! suppressions, baselines or diffs leave findings out, so leaving one out
//! never changes another's fingerprint; after a fix, over the fixed text.

use pathfinder_diagnostics::Diagnostic;

/// FNV-1a, 64 bits: tiny, and stable across Rust releases and platforms.
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>, mut hash: u64) -> u64 {
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn code_hash(path: &str, source: &str, diagnostic: &Diagnostic) -> u64 {
    let code = &source[diagnostic.range];
    let mut hash = fnv1a(diagnostic.rule.bytes(), FNV_OFFSET);
    hash = fnv1a([0], hash);
    hash = fnv1a(path.bytes(), hash);
    hash = fnv1a([0], hash);
    fnv1a(
        code.bytes().filter(|byte| !byte.is_ascii_whitespace()),
        hash,
    )
}

/// The fingerprint of each diagnostic of one file, as 16 hex digits and an
/// occurrence suffix (`61317e74a41f01b2:1`).
pub(crate) fn fingerprints(path: &str, source: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    let hashes: Vec<u64> = diagnostics
        .iter()
        .map(|diagnostic| code_hash(path, source, diagnostic))
        .collect();
    hashes
        .iter()
        .enumerate()
        .map(|(index, own)| {
            let occurrence = hashes[..index]
                .iter()
                .filter(|earlier| *earlier == own)
                .count();
            format!("{own:016x}:{}", occurrence + 1)
        })
        .collect()
}
