//! The lines a change added or modified, for diff-aware scans.
//!
//! This module is the only one that knows git. It runs the `git` command line
//! (`rev-parse`, `merge-base`, `diff --unified=0 --find-renames`) in the
//! project folder and reads the `@@ -a,b +c,d @@` headers of the diff: every
//! line of a `+c,d` range is added or changed on the new side. Paths come out
//! relative to the project folder (`--relative`), as the scan reports them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pathfinder_diagnostics::{Diagnostic, Edit, LineIndex};
use pathfinder_rules::{Rule, find_rule};

/// Lines added or changed per file; paths are relative to the project with `/`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangedLines {
    /// Inclusive, one-based, sorted line ranges per path.
    files: HashMap<String, Vec<(usize, usize)>>,
}

impl ChangedLines {
    /// Whether one-based `line` of `path` was added or changed.
    pub fn contains(&self, path: &str, line: usize) -> bool {
        self.files.get(path).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(first, last)| first <= line && line <= last)
        })
    }

    /// Whether any line of `path` was added or changed.
    pub fn touches(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The changes of one file.
    pub fn file(&self, path: &str) -> FileChanges {
        self.files
            .get(path)
            .map_or_else(FileChanges::default, |ranges| FileChanges {
                touched: true,
                ranges: ranges.clone(),
            })
    }

    /// The one narrowing of a diff-aware scan (see [`FileChanges::keeps`]),
    /// for a finding of `path` that starts on one-based `line`.
    pub fn keeps(&self, path: &str, diagnostic: &Diagnostic, line: usize) -> bool {
        self.files
            .get(path)
            .is_some_and(|ranges| keeps(true, ranges, diagnostic, line))
    }

    /// The changed files, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// Reads the output of `git diff --unified=0`: the new-side path of each
    /// file (`+++ b/path`) and the new-side range of each hunk.
    pub fn parse(diff: &str) -> ChangedLines {
        let mut files: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut current: Option<String> = None;
        for line in diff.lines() {
            if line.starts_with("diff ") {
                current = None;
            } else if let Some(path) = line.strip_prefix("+++ ") {
                current = new_side_path(path);
                // A file whose change only deletes lines is still touched.
                if let Some(path) = &current {
                    files.entry(path.clone()).or_default();
                }
            } else if let Some(header) = line.strip_prefix("@@ ")
                && let Some(path) = &current
                && let Some((first, count)) = new_side_range(header)
                && count > 0
            {
                files
                    .entry(path.clone())
                    .or_default()
                    .push((first, first + count - 1));
            }
        }
        for ranges in files.values_mut() {
            ranges.sort_unstable();
        }
        ChangedLines { files }
    }
}

/// The lines a change added or modified in one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// Whether the change touched the file at all (it may only delete lines).
    touched: bool,
    /// Inclusive, one-based, sorted.
    ranges: Vec<(usize, usize)>,
}

impl FileChanges {
    /// Whether a diff-aware scan keeps `diagnostic`, which starts on
    /// one-based `line`: when it starts on a changed line; and a finding of a
    /// project-level rule (a setting never set, reported where the fix would
    /// add it) belongs to the whole module, so any change to the file counts.
    pub fn keeps(&self, diagnostic: &Diagnostic, line: usize) -> bool {
        keeps(self.touched, &self.ranges, diagnostic, line)
    }

    /// The same changes after `edits` (sorted, not overlapping) were applied
    /// to `source`: lines below an edit move with it, and a range that holds
    /// an edit grows or shrinks with it.
    pub(crate) fn after_edits(&self, source: &str, edits: &[Edit]) -> FileChanges {
        if self.ranges.is_empty() || edits.is_empty() {
            return self.clone();
        }
        let index = LineIndex::new(source);
        // (first line, last line, lines added) of each edit, one-based.
        let moves: Vec<(usize, usize, isize)> = edits
            .iter()
            .map(|edit| {
                let first = index.line_of(edit.range.start()) + 1;
                let last = index.line_of(edit.range.end()) + 1;
                let removed = source[edit.range].matches('\n').count();
                let added = edit
                    .content
                    .as_deref()
                    .map_or(0, |text| text.matches('\n').count());
                (first, last, added.cast_signed() - removed.cast_signed())
            })
            .collect();
        let shift = |line: usize, counts: &dyn Fn(usize, usize) -> bool| {
            let delta: isize = moves
                .iter()
                .filter(|(first, last, _)| counts(*first, *last))
                .map(|(_, _, delta)| delta)
                .sum();
            line.saturating_add_signed(delta).max(1)
        };
        let ranges = self
            .ranges
            .iter()
            .map(|&(first, last)| {
                (
                    shift(first, &|_, edit_last| edit_last < first),
                    shift(last, &|edit_first, _| edit_first <= last),
                )
            })
            .collect();
        FileChanges {
            touched: self.touched,
            ranges,
        }
    }
}

fn keeps(touched: bool, ranges: &[(usize, usize)], diagnostic: &Diagnostic, line: usize) -> bool {
    ranges
        .iter()
        .any(|&(first, last)| first <= line && line <= last)
        || (touched && find_rule(diagnostic.rule).is_some_and(Rule::checks_project))
}

/// Why the changed lines could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// `git` could not be started.
    GitMissing(String),
    /// The project is not inside a git work tree.
    NotARepository(PathBuf),
    /// A revision that does not name a commit.
    MissingRef(String),
    /// The two revisions have no common ancestor.
    NoMergeBase(String, String),
    /// Any other failure of a git command, with its standard error.
    Git(String),
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiffError::GitMissing(error) => {
                write!(f, "--diff-aware needs the `git` command: {error}")
            }
            DiffError::NotARepository(path) => write!(
                f,
                "--diff-aware needs a git repository, and `{}` is not inside one",
                path.display()
            ),
            DiffError::MissingRef(name) => write!(
                f,
                "git revision `{name}` does not exist (in CI, fetch it first, for example `git fetch origin {name}` or a checkout with `fetch-depth: 0`)"
            ),
            DiffError::NoMergeBase(base, head) => {
                write!(f, "`{base}` and `{head}` have no common ancestor")
            }
            DiffError::Git(message) => write!(f, "git failed: {message}"),
        }
    }
}

impl std::error::Error for DiffError {}

/// The lines added or changed between the merge base of `base` and `head`
/// (default `HEAD`) and `head`, in the files under `project`.
pub fn changed_lines(
    project: &Path,
    base: &str,
    head: Option<&str>,
) -> Result<ChangedLines, DiffError> {
    let folder = if project.is_dir() {
        project.to_path_buf()
    } else {
        project
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let head = head.unwrap_or("HEAD");
    let inside = git(&folder, &["rev-parse", "--is-inside-work-tree"])?;
    if inside.trim() != "true" {
        return Err(DiffError::NotARepository(folder));
    }
    let base_commit = resolve(&folder, base)?;
    let head_commit = resolve(&folder, head)?;
    let merge_base = git(&folder, &["merge-base", &base_commit, &head_commit])
        .map_err(|_| DiffError::NoMergeBase(base.to_string(), head.to_string()))?;
    let diff = git(
        &folder,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--unified=0",
            "--find-renames",
            "--no-color",
            "--no-ext-diff",
            "--relative",
            merge_base.trim(),
            &head_commit,
            "--",
        ],
    )?;
    Ok(ChangedLines::parse(&diff))
}

/// The project folder's path inside its repository, with `/` and a trailing
/// `/` (empty at the repository's root): what turns a project-relative path
/// into the repository-relative one that GitHub's API expects.
pub fn repository_prefix(project: &Path) -> Result<String, DiffError> {
    let folder = if project.is_dir() {
        project.to_path_buf()
    } else {
        project
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    Ok(git(&folder, &["rev-parse", "--show-prefix"])?
        .trim()
        .to_string())
}

/// The full commit id of `name`, or [`DiffError::MissingRef`].
pub fn resolve(folder: &Path, name: &str) -> Result<String, DiffError> {
    if name.starts_with('-') {
        return Err(DiffError::MissingRef(name.to_string()));
    }
    let spec = format!("{name}^{{commit}}");
    match git(folder, &["rev-parse", "--verify", "--quiet", &spec]) {
        Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_string()),
        Ok(_) | Err(DiffError::Git(_)) => Err(DiffError::MissingRef(name.to_string())),
        Err(other) => Err(other),
    }
}

fn git(folder: &Path, args: &[&str]) -> Result<String, DiffError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|error| DiffError::GitMissing(error.to_string()))?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("not a git repository") {
        return Err(DiffError::NotARepository(folder.to_path_buf()));
    }
    Err(DiffError::Git(format!(
        "git {}: {}",
        args.join(" "),
        stderr.trim()
    )))
}

/// `b/shop/views.py` → `shop/views.py`; `/dev/null` (a deleted file) → none.
fn new_side_path(text: &str) -> Option<String> {
    let text = text.trim_end_matches('\t');
    if text == "/dev/null" {
        return None;
    }
    let text = if text.starts_with('"') {
        unquote(text)
    } else {
        text.to_string()
    };
    Some(text.strip_prefix("b/").unwrap_or(&text).to_string())
}

/// Undoes git's C-style quoting of unusual paths: `"b/a\tb.py"`.
fn unquote(text: &str) -> String {
    let inner = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(text);
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    if let Some(next @ b'0'..=b'7') = chars.peek().copied() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(u8::try_from(value).unwrap_or(b'?'));
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `-3,2 +4,5 @@ def f():` → `(4, 5)`; a missing count means one line.
fn new_side_range(header: &str) -> Option<(usize, usize)> {
    let new_side = header.split(' ').find(|part| part.starts_with('+'))?;
    let new_side = &new_side[1..];
    let (first, count) = match new_side.split_once(',') {
        Some((first, count)) => (first.parse().ok()?, count.parse().ok()?),
        None => (new_side.parse().ok()?, 1),
    };
    Some((first, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(diff: &str, expect: &[(&str, &[(usize, usize)])]) {
        let changed = ChangedLines::parse(diff);
        let mut actual: Vec<(String, Vec<(usize, usize)>)> = changed
            .files
            .iter()
            .map(|(path, ranges)| (path.clone(), ranges.clone()))
            .collect();
        actual.sort();
        let expect: Vec<(String, Vec<(usize, usize)>)> = expect
            .iter()
            .map(|(path, ranges)| ((*path).to_string(), ranges.to_vec()))
            .collect();
        assert_eq!(actual, expect);
    }

    #[test]
    fn hunks_of_added_and_changed_lines() {
        check(
            "diff --git a/shop/views.py b/shop/views.py
index 1111111..2222222 100644
--- a/shop/views.py
+++ b/shop/views.py
@@ -3 +3 @@ def a():
-    r.set_cookie('a', 'b')
+    r.set_cookie('a', 'b', secure=True)
@@ -10,0 +11,3 @@ def b():
+    x = 1
+    y = 2
+    z = 3
@@ -20,2 +23,0 @@ def c():
-    gone = 1
-    gone = 2
",
            &[("shop/views.py", &[(3, 3), (11, 13)])],
        );
    }

    #[test]
    fn new_renamed_deleted_and_quoted_files() {
        check(
            "diff --git a/new.py b/new.py
new file mode 100644
--- /dev/null
+++ b/new.py
@@ -0,0 +1,2 @@
+a
+b
diff --git a/old.py b/moved.py
similarity index 90%
rename from old.py
rename to moved.py
--- a/old.py
+++ b/moved.py
@@ -5 +5,2 @@
-x
+y
+z
diff --git a/dead.py b/dead.py
deleted file mode 100644
--- a/dead.py
+++ /dev/null
@@ -1 +0,0 @@
-gone
diff --git a/same.py b/renamed.py
similarity index 100%
rename from same.py
rename to renamed.py
diff --git \"a/we ird\\tname.py\" \"b/we ird\\tname.py\"
--- \"a/we ird\\tname.py\"
+++ \"b/we ird\\tname.py\"
@@ -1 +1 @@
-q
+r
",
            &[
                ("moved.py", &[(5, 6)]),
                ("new.py", &[(1, 2)]),
                ("we ird\tname.py", &[(1, 1)]),
            ],
        );
    }

    #[test]
    fn changes_move_with_fixes() {
        let changed = ChangedLines::parse("+++ b/a.py\n@@ -1,0 +2,2 @@\n@@ -7,0 +8 @@\n");
        let source = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let at = |line: usize| pathfinder_diagnostics::TextSize::new((line as u32 - 1) * 2);
        // One line added in line 3 (inside the first range), one before line 8.
        let edits = [Edit::insertion("x\n", at(3)), Edit::insertion("y\n", at(6))];
        let moved = changed.file("a.py").after_edits(source, &edits);
        assert_eq!(moved.ranges, [(2, 4), (10, 10)]);
        assert!(moved.touched);
        assert_eq!(
            ChangedLines::default()
                .file("a.py")
                .after_edits(source, &edits),
            FileChanges::default()
        );
    }

    #[test]
    fn contains_and_touches() {
        let changed = ChangedLines::parse("+++ b/a.py\n@@ -1,0 +2,2 @@\n");
        assert!(!changed.contains("a.py", 1));
        assert!(changed.contains("a.py", 2));
        assert!(changed.contains("a.py", 3));
        assert!(!changed.contains("a.py", 4));
        assert!(!changed.contains("b.py", 2));
        assert!(changed.touches("a.py"));
        assert_eq!(changed.paths(), vec!["a.py"]);
    }

    #[test]
    fn a_real_repository_and_a_missing_ref() {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .output()
                .unwrap();
            assert!(status.status.success(), "{status:?}");
        };
        run(&["init", "-q", "-b", "main"]);
        std::fs::create_dir(dir.path().join("app")).unwrap();
        std::fs::write(dir.path().join("app/a.py"), "one\ntwo\nthree\n").unwrap();
        run(&["add", "."]);
        run(&["commit", "-q", "-m", "first"]);
        run(&["checkout", "-q", "-b", "feature"]);
        std::fs::write(dir.path().join("app/a.py"), "one\nTWO\nthree\nfour\n").unwrap();
        run(&["commit", "-q", "-am", "second"]);

        let changed = changed_lines(dir.path(), "main", None).unwrap();
        assert_eq!(changed.paths(), vec!["app/a.py"]);
        assert!(changed.contains("app/a.py", 2));
        assert!(!changed.contains("app/a.py", 3));
        assert!(changed.contains("app/a.py", 4));

        let from_subfolder = changed_lines(&dir.path().join("app"), "main", None).unwrap();
        assert_eq!(from_subfolder.paths(), vec!["a.py"]);
        assert_eq!(repository_prefix(&dir.path().join("app")).unwrap(), "app/");
        assert_eq!(repository_prefix(dir.path()).unwrap(), "");

        let error = changed_lines(dir.path(), "no-such-branch", None).unwrap_err();
        assert_eq!(error, DiffError::MissingRef("no-such-branch".to_string()));
        assert!(
            error
                .to_string()
                .contains("`no-such-branch` does not exist")
        );

        let outside = tempfile::tempdir().unwrap();
        assert!(matches!(
            changed_lines(outside.path(), "main", None),
            Err(DiffError::NotARepository(_))
        ));
    }
}
