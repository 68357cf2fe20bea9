//! Git in a scratch repository, with an identity and no signing, so that
//! the tests of diff-aware scans do not depend on the machine's git config.

use std::path::Path;
use std::process::Command;

/// Runs `git -C dir args...` and fails the test when git fails.
pub(crate) fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Dev",
            "-c",
            "user.email=dev@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}
