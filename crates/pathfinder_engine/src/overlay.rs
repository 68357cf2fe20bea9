//! In-memory texts that stand in for files on disk.
//!
//! A language server checks the text of open documents, which may differ
//! from what is saved; the playground checks a text that has no file at all.
//! Both hand the scan an [`Overlay`]: absolute path → text. Every read of the
//! scan goes through [`Files`], which consults the overlay before the disk:
//! the file checker, the module loader (so an import resolves to an unsaved
//! module) and the project pass alike.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Texts by absolute path, consulted before the disk.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    files: BTreeMap<PathBuf, Arc<str>>,
}

impl Overlay {
    pub fn new() -> Overlay {
        Overlay::default()
    }

    /// Sets the text of the file at `path`; returns the text it replaces.
    /// A relative path is taken relative to the scan's root.
    pub fn insert(
        &mut self,
        path: impl Into<PathBuf>,
        text: impl Into<Arc<str>>,
    ) -> Option<Arc<str>> {
        self.files.insert(path.into(), text.into())
    }

    /// The text held for `path`.
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The paths held, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(PathBuf::as_path)
    }

    /// The paths held at or below `root`, sorted.
    pub(crate) fn under<'a>(&'a self, root: &'a Path) -> impl Iterator<Item = &'a Path> {
        self.files
            .range(root.to_path_buf()..)
            .map(|(path, _)| path.as_path())
            .take_while(move |path| path.starts_with(root))
    }

    /// Whether a text is held at or below `root`.
    pub(crate) fn covers(&self, root: &Path) -> bool {
        self.under(root).next().is_some()
    }

    /// The same texts, with relative paths joined to `root` and paths under
    /// `given` (the root as the caller spelt it) moved under `root` (the
    /// root as the scan sees it, symbolic links resolved).
    pub(crate) fn rebased(&self, given: &Path, root: &Path) -> Overlay {
        let files = self
            .files
            .iter()
            .map(|(path, text)| (rebase(path, given, root), text.clone()))
            .collect();
        Overlay { files }
    }
}

/// `path` as the scan sees it: relative paths are under `root`; a path under
/// `given` moves under `root`.
pub(crate) fn rebase(path: &Path, given: &Path, root: &Path) -> PathBuf {
    if path.is_relative() {
        return root.join(path);
    }
    match path.strip_prefix(given) {
        Ok(rest) if given != root => {
            if rest.as_os_str().is_empty() {
                root.to_path_buf()
            } else {
                root.join(rest)
            }
        }
        _ => path.to_path_buf(),
    }
}

/// File access for the whole scan: the overlay first, then the disk.
#[derive(Debug, Clone, Default)]
pub(crate) struct Files {
    overlay: Option<Arc<Overlay>>,
}

impl Files {
    pub(crate) fn new(overlay: Option<Arc<Overlay>>) -> Files {
        Files {
            overlay: overlay.filter(|overlay| !overlay.is_empty()),
        }
    }

    pub(crate) fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_deref()
    }

    /// The in-memory text of `path`, if the overlay holds one.
    pub(crate) fn in_memory(&self, path: &Path) -> Option<&Arc<str>> {
        self.overlay.as_ref()?.get(path)
    }

    /// Whether `path` is a file, in the overlay or on disk.
    pub(crate) fn is_file(&self, path: &Path) -> bool {
        self.in_memory(path).is_some() || path.is_file()
    }

    /// Reads `path` into `bytes` (cleared first); files larger than `limit`
    /// bytes are refused with a message.
    pub(crate) fn read(&self, path: &Path, bytes: &mut Vec<u8>, limit: u64) -> Result<(), String> {
        bytes.clear();
        let length = self.read_into(path, bytes, limit)?;
        bytes.truncate(length);
        Ok(())
    }

    /// Reads `path` into the start of `buffer` and returns its length; what
    /// follows in `buffer` is left from earlier reads. Files larger than
    /// `limit` bytes are refused with a message.
    ///
    /// The buffer only grows, so a walk that reads every file into one
    /// buffer zeroes each byte of it once. The file is read until its end
    /// without asking its size first (`read_to_end` would ask twice, and
    /// seek): two system calls per file besides its opening, as `rg`
    /// makes. Its size is asked only to say how large a refused file is.
    pub(crate) fn read_into(
        &self,
        path: &Path,
        buffer: &mut Vec<u8>,
        limit: u64,
    ) -> Result<usize, String> {
        if let Some(text) = self.in_memory(path) {
            if text.len() as u64 > limit {
                return Err(too_large(text.len() as u64, limit));
            }
            if buffer.len() < text.len() {
                buffer.resize(text.len(), 0);
            }
            buffer[..text.len()].copy_from_slice(text.as_bytes());
            return Ok(text.len());
        }
        let mut file =
            std::fs::File::open(path).map_err(|error| format!("could not read: {error}"))?;
        let too_large_file = |file: &std::fs::File, read: usize| {
            let length = file.metadata().map_or(read as u64, |meta| meta.len());
            too_large(length.max(read as u64), limit)
        };
        // At most one byte past the limit is read: it tells the file is over.
        let most = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        if buffer.is_empty() {
            buffer.resize(FIRST_BUFFER.min(most), 0);
        }
        let mut filled = 0;
        loop {
            let end = buffer.len().min(most);
            if filled == end {
                if filled == most {
                    return Err(too_large_file(&file, filled));
                }
                buffer.resize(filled.saturating_mul(2).min(most), 0);
                continue;
            }
            match file.read(&mut buffer[filled..end]) {
                Ok(0) => return Ok(filled),
                Ok(read) => filled += read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(format!("could not read: {error}")),
            }
        }
    }

    /// The text of `path` when it is valid UTF-8 and at most `limit` bytes.
    pub(crate) fn text(&self, path: &Path, limit: u64) -> Option<Arc<str>> {
        if let Some(text) = self.in_memory(path) {
            return (text.len() as u64 <= limit).then(|| text.clone());
        }
        if std::fs::metadata(path).ok()?.len() > limit {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }
}

/// The first size of a read buffer: most source files fit.
const FIRST_BUFFER: usize = 64 * 1024;

fn too_large(length: u64, limit: u64) -> String {
    format!(
        "skipped: {} MiB is over the {} MiB limit for one file",
        length / (1024 * 1024),
        limit / (1024 * 1024)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_a_root_and_rebasing() {
        let mut overlay = Overlay::new();
        overlay.insert("/p/a.py", "a");
        overlay.insert("/p/sub/b.py", "b");
        overlay.insert("/pq/c.py", "c");
        overlay.insert("d.py", "d");
        let under: Vec<&Path> = overlay.under(Path::new("/p")).collect();
        assert_eq!(under, [Path::new("/p/a.py"), Path::new("/p/sub/b.py")]);
        assert!(overlay.covers(Path::new("/p/sub")));
        assert!(!overlay.covers(Path::new("/q")));

        let rebased = overlay.rebased(Path::new("/p"), Path::new("/real/p"));
        let paths: Vec<&Path> = rebased.paths().collect();
        assert_eq!(
            paths,
            [
                Path::new("/pq/c.py"),
                Path::new("/real/p/a.py"),
                Path::new("/real/p/d.py"),
                Path::new("/real/p/sub/b.py"),
            ]
        );
    }

    #[test]
    fn the_overlay_comes_before_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = dir.path().join("a.py");
        std::fs::write(&on_disk, "disk").unwrap();
        let mut overlay = Overlay::new();
        overlay.insert(on_disk.clone(), "memory");
        overlay.insert(dir.path().join("new.py"), "unsaved");
        let files = Files::new(Some(Arc::new(overlay)));
        let mut bytes = Vec::new();
        files.read(&on_disk, &mut bytes, 100).unwrap();
        assert_eq!(bytes, b"memory");
        assert!(files.is_file(&dir.path().join("new.py")));
        assert!(!files.is_file(&dir.path().join("absent.py")));
        assert_eq!(
            files.text(&dir.path().join("new.py"), 100).as_deref(),
            Some("unsaved")
        );
        assert!(
            files
                .read(&on_disk, &mut bytes, 3)
                .unwrap_err()
                .contains("limit")
        );
        assert!(Files::new(None).text(&on_disk, 100).as_deref() == Some("disk"));
    }

    #[test]
    fn one_buffer_reads_files_of_any_size_in_turn() {
        let dir = tempfile::tempdir().unwrap();
        let large: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let (big, small, empty) = (
            dir.path().join("big.py"),
            dir.path().join("small.py"),
            dir.path().join("empty.py"),
        );
        std::fs::write(&big, &large).unwrap();
        std::fs::write(&small, "x = 1\n").unwrap();
        std::fs::write(&empty, "").unwrap();
        let files = Files::new(None);
        let mut buffer = Vec::new();
        // Larger than the first buffer: it grows and keeps every byte.
        let read = files.read_into(&big, &mut buffer, 1 << 20).unwrap();
        assert_eq!(&buffer[..read], &large[..]);
        // A shorter file after it: its own length, its own bytes.
        let read = files.read_into(&small, &mut buffer, 1 << 20).unwrap();
        assert_eq!(&buffer[..read], b"x = 1\n");
        assert_eq!(files.read_into(&empty, &mut buffer, 1 << 20), Ok(0));
        // Over the limit: refused with the file's own size.
        let refused = files.read_into(&big, &mut buffer, 100_000).unwrap_err();
        assert!(
            refused.contains("0 MiB is over the 0 MiB limit"),
            "{refused}"
        );
        let mut bytes = Vec::new();
        files.read(&big, &mut bytes, 1 << 20).unwrap();
        assert_eq!(bytes, large);
    }
}
