//! The parallel walk over the project: honours `.gitignore`, skips virtual
//! environments and installed packages, follows symbolic links only inside
//! the project and reports loops instead of entering them.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::{Notice, Progress, relative};

/// Folders that never hold the project's own code.
const SKIPPED_DIRS: &[&str] = &[
    "site-packages",
    "dist-packages",
    "node_modules",
    "__pycache__",
    "__pypackages__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".git",
    ".hg",
    ".svn",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".eggs",
];

/// What the walk hands to the checker.
pub(crate) enum Entry {
    File(PathBuf),
    Notice(Notice),
}

pub(crate) fn build_excludes(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_end_matches('/');
        for variant in [trimmed.to_string(), format!("{trimmed}/**")] {
            let glob = GlobBuilder::new(&variant)
                .literal_separator(false)
                .build()
                .map_err(|error| format!("{pattern}: {error}"))?;
            builder.add(glob);
        }
    }
    builder.build().map_err(|error| error.to_string())
}

fn is_virtualenv(path: &Path) -> bool {
    path.join("pyvenv.cfg").is_file()
}

pub(crate) fn excluded(excludes: &GlobSet, root: &Path, path: &Path) -> bool {
    if excludes.is_empty() {
        return false;
    }
    let relative = relative(path, root);
    excludes.is_match(&relative) || path.file_name().is_some_and(|name| excludes.is_match(name))
}

/// Whether `path`, or a folder it lies in below `root`, is excluded.
pub(crate) fn excluded_within(excludes: &GlobSet, root: &Path, path: &Path) -> bool {
    path.ancestors()
        .take_while(|ancestor| ancestor.starts_with(root) && *ancestor != root)
        .any(|ancestor| excluded(excludes, root, ancestor))
}

/// Walks `root` and hands every Python file (and every problem) to `send`,
/// as it finds them; stops when `send` returns false.
pub(crate) fn walk(
    root: &Path,
    excludes: &GlobSet,
    threads: usize,
    send: &(dyn Fn(Entry) -> bool + Sync),
    seen: &AtomicUsize,
    progress: &dyn Progress,
) {
    if root.is_file() {
        seen.fetch_add(1, Ordering::Relaxed);
        progress.discovered();
        send(Entry::File(root.to_path_buf()));
        return;
    }
    let filter_root = root.to_path_buf();
    let filter_excludes = excludes.clone();
    // The filter must own what it uses: it keeps its notices for later.
    let filter_notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept_notices = filter_notices.clone();
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .threads(threads)
        .filter_entry(move |entry| {
            let path = entry.path();
            if entry.depth() == 0 {
                return true;
            }
            if excluded(&filter_excludes, &filter_root, path) {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
            if is_dir {
                let name = entry.file_name().to_string_lossy();
                if SKIPPED_DIRS.contains(&name.as_ref()) || is_virtualenv(path) {
                    return false;
                }
                // A linked folder is entered only if it stays in the project;
                // everything below it then does too.
                if entry.path_is_symlink()
                    && !inside(&filter_root, path, &|entry| {
                        if let Ok(mut notices) = kept_notices.lock() {
                            notices.push(entry);
                        }
                        true
                    })
                {
                    return false;
                }
            }
            true
        })
        .build_parallel();
    walker.run(|| {
        let root = root.to_path_buf();
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    if let Some(entry) = python_file(&root, &entry, send) {
                        seen.fetch_add(1, Ordering::Relaxed);
                        progress.discovered();
                        if !send(Entry::File(entry)) {
                            return WalkState::Quit;
                        }
                    }
                }
                Err(error) => {
                    let path =
                        error_path(&error).map_or_else(PathBuf::new, |path| relative(&path, &root));
                    send(Entry::Notice(Notice {
                        path,
                        message: describe_walk_error(&error),
                    }));
                }
            }
            WalkState::Continue
        })
    });
    let notices = std::mem::take(&mut *filter_notices.lock().expect("no panics while locked"));
    for notice in notices {
        send(notice);
    }
}

/// The path of a Python file worth checking, after the symlink checks.
fn python_file(
    root: &Path,
    entry: &DirEntry,
    send: &(dyn Fn(Entry) -> bool + Sync),
) -> Option<PathBuf> {
    let path = entry.path();
    if !entry.file_type().is_some_and(|kind| kind.is_file())
        || path.extension().is_none_or(|ext| ext != "py")
    {
        return None;
    }
    // Folders were checked on the way down; only a linked file is left to check.
    if entry.path_is_symlink() && !inside(root, path, send) {
        return None;
    }
    Some(path.to_path_buf())
}

/// Whether the symbolic link `path` leads inside `root`; reports it when not.
fn inside(root: &Path, path: &Path, send: &(dyn Fn(Entry) -> bool + Sync)) -> bool {
    let message = match path.canonicalize() {
        Ok(target) if target.starts_with(root) => return true,
        Ok(target) => format!(
            "skipped: symbolic link to `{}`, outside the project",
            target.display()
        ),
        Err(error) => format!("skipped: broken symbolic link ({error})"),
    };
    send(Entry::Notice(Notice {
        path: relative(path, root),
        message,
    }));
    false
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn describe_walk_error(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Loop { ancestor, .. } => format!(
            "skipped: symbolic link loop back to `{}`",
            ancestor.display()
        ),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe_walk_error(err),
        ignore::Error::Io(io) => format!("could not read: {io}"),
        other => format!("could not read: {other}"),
    }
}
