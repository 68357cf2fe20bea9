//! Stable fingerprints of findings, for SARIF `partialFingerprints` and baselines.
//!
//! A fingerprint depends on the rule, the file, the text of the flagged code
//! with its white space removed, and how many identical findings precede it in
//! the file; not on line numbers, so unrelated edits above a finding keep it.

use pathfinder_diagnostics::Diagnostic;
use pathfinder_engine::FileReport;

/// FNV-1a, 64 bits: tiny, and stable across Rust releases and platforms.
fn fnv1a(bytes: impl IntoIterator<Item = u8>, mut hash: u64) -> u64 {
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn code_hash(file: &FileReport, diagnostic: &Diagnostic) -> u64 {
    let code = &file.source[diagnostic.range];
    let mut hash = fnv1a(diagnostic.rule.bytes(), FNV_OFFSET);
    hash = fnv1a([0], hash);
    hash = fnv1a(file.path.bytes(), hash);
    hash = fnv1a([0], hash);
    fnv1a(
        code.bytes().filter(|byte| !byte.is_ascii_whitespace()),
        hash,
    )
}

/// The fingerprint of `file.diagnostics[index]`, as 16 hex digits and an occurrence suffix.
pub fn fingerprint(file: &FileReport, index: usize) -> String {
    let diagnostic = &file.diagnostics[index];
    let own = code_hash(file, diagnostic);
    let occurrence = file.diagnostics[..index]
        .iter()
        .filter(|earlier| code_hash(file, earlier) == own)
        .count();
    format!("{own:016x}:{}", occurrence + 1)
}
