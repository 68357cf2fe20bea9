//! The commit a build comes from, read with `git` at build time for
//! `pathfinder --version`. Shared by the build script (`build.rs`) and the
//! unit tests in `src/main.rs`, which run it on scratch repositories.
//!
//! A source tree that is not the top of a git work tree (a tarball, an
//! sdist, a copy vendored into another repository) has no commit: the
//! version then says `commit unknown`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The commit a build comes from.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Commit {
    /// The first 12 hex digits of the commit id.
    pub(crate) short_hash: String,
    /// The committer date, `YYYY-MM-DD`.
    pub(crate) date: String,
}

/// The version text: `0.1.0 (0123456789ab 2026-11-29)`, or
/// `0.1.0 (commit unknown)`.
pub(crate) fn version_text(version: &str, commit: Option<&Commit>) -> String {
    match commit {
        Some(commit) => format!("{version} ({} {})", commit.short_hash, commit.date),
        None => format!("{version} (commit unknown)"),
    }
}

/// The commit checked out in `root`, when `root` is the top of a git work
/// tree and `git` can be run; `None` otherwise.
pub(crate) fn head_commit(root: &Path) -> Option<Commit> {
    let top = git(root, &["rev-parse", "--show-toplevel"])?;
    // `root` inside someone else's repository is not a checkout of ours.
    if Path::new(&top).canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    let line = git(root, &["log", "-1", "--date=short", "--format=%H %cd"])?;
    let (hash, date) = line.split_once(' ')?;
    if hash.len() < 12 || !hash.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }
    Some(Commit {
        short_hash: hash[..12].to_string(),
        date: date.to_string(),
    })
}

/// The files whose change means another commit is checked out: `HEAD`, the
/// branch it names (or, while that branch is only in `packed-refs`, the
/// folder its own file will be written to) and `packed-refs`. Only the
/// current branch is watched, so commits on other branches rebuild nothing.
#[cfg_attr(test, allow(dead_code, reason = "used by the build script only"))]
pub(crate) fn files_to_watch(root: &Path) -> Vec<PathBuf> {
    let git_path =
        |name: &str| git(root, &["rev-parse", "--git-path", name]).map(|path| root.join(path));
    let mut files = Vec::new();
    files.extend(git_path("HEAD"));
    if let Some(branch) =
        git(root, &["symbolic-ref", "-q", "HEAD"]).and_then(|name| git_path(&name))
    {
        if branch.exists() {
            files.push(branch);
        } else {
            files.extend(branch.parent().map(Path::to_path_buf));
        }
    }
    files.extend(git_path("packed-refs"));
    files.retain(|path| path.exists());
    files
}

/// Runs `git ARGS` in `dir`; its trimmed standard output when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::{head_commit, version_text};

    /// Runs git in `dir`; `false` when git cannot be run at all.
    fn git(dir: &Path, args: &[&str]) -> bool {
        let Ok(output) = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
        else {
            return false;
        };
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        true
    }

    /// A scratch repository with one commit, or `None` (and why) without git.
    #[allow(clippy::print_stderr, reason = "says why the test skips outside CI")]
    fn repository() -> Option<tempfile::TempDir> {
        let dir = tempfile::tempdir().unwrap();
        if !git(dir.path(), &["init", "-q"]) {
            assert!(
                std::env::var_os("CI").is_none_or(|value| value != "true"),
                "git is needed and CI=true"
            );
            eprintln!("skipped: git cannot be run");
            return None;
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/file"), "x").unwrap();
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-q", "-m", "one"]);
        Some(dir)
    }

    #[test]
    fn a_checkout_names_its_commit() {
        let Some(dir) = repository() else { return };
        let output = Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let hash = String::from_utf8(output.stdout).unwrap();
        let commit = head_commit(dir.path()).expect("a commit");
        assert_eq!(commit.short_hash, hash.trim()[..12]);
        assert_eq!(commit.date.len(), "2026-11-29".len(), "{}", commit.date);
        assert_eq!(
            version_text("0.1.0", Some(&commit)),
            format!("0.1.0 ({} {})", &hash.trim()[..12], commit.date)
        );
    }

    #[test]
    fn a_tree_without_git_has_no_commit() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(head_commit(dir.path()), None);
        assert_eq!(version_text("0.1.0", None), "0.1.0 (commit unknown)");
    }

    #[test]
    fn a_tree_inside_another_repository_has_no_commit() {
        let Some(dir) = repository() else { return };
        assert_eq!(head_commit(&dir.path().join("sub")), None);
    }
}
