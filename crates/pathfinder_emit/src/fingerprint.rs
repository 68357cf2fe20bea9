//! Stable fingerprints of findings, as the engine computed them before any
//! finding was left out (see `pathfinder_engine`'s fingerprint module).

use pathfinder_engine::FileReport;

/// The fingerprint of `file.diagnostics[index]`, as 16 hex digits and an occurrence suffix.
pub fn fingerprint(file: &FileReport, index: usize) -> String {
    file.fingerprints[index].clone()
}
