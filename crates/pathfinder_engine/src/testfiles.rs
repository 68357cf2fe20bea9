//! Which files are tests, by the conventions of Python test runners.

use std::path::Path;

/// Whether `path` (relative to the project) is a test file: under a `tests/`
/// or `test/` folder, or named `test_*.py`, `*_test.py`, `tests.py` or
/// `conftest.py`.
pub fn is_test_file(path: &Path) -> bool {
    // The path's bytes split at separators: parsing it into components
    // cost a tenth of a microsecond for each file of the walk.
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut parts = bytes
        .split(|byte| byte.is_ascii() && std::path::is_separator(char::from(*byte)))
        .filter(|part| !part.is_empty());
    let Some(file) = parts.next_back() else {
        return false;
    };
    if parts.any(|folder| folder == b"tests" || folder == b"test") {
        return true;
    }
    let stem = file.strip_suffix(b".py").unwrap_or(file);
    stem.starts_with(b"test_")
        || stem.ends_with(b"_test")
        || stem == b"tests"
        || stem == b"conftest"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        for test in [
            "tests/x.py",
            "a/test/b/c.py",
            "test_views.py",
            "views_test.py",
            "app/tests.py",
            "conftest.py",
            "./a//tests/b.py",
            "a/test//c.py",
        ] {
            assert!(is_test_file(Path::new(test)), "{test}");
        }
        for plain in [
            "testimonials.py",
            "contests/views.py",
            "latest.py",
            "attest.py",
            "app/views.py",
            "",
        ] {
            assert!(!is_test_file(Path::new(plain)), "{plain}");
        }
    }
}
