//! Which files are tests, by the conventions of Python test runners.

use std::path::Path;

/// Whether `path` (relative to the project) is a test file: under a `tests/`
/// or `test/` folder, or named `test_*.py`, `*_test.py`, `tests.py` or
/// `conftest.py`.
pub fn is_test_file(path: &Path) -> bool {
    let in_test_folder = path.parent().is_some_and(|folders| {
        folders
            .iter()
            .any(|folder| folder == "tests" || folder == "test")
    });
    if in_test_folder {
        return true;
    }
    let Some(file) = path.file_name().and_then(|file| file.to_str()) else {
        return false;
    };
    let stem = file.strip_suffix(".py").unwrap_or(file);
    stem.starts_with("test_") || stem.ends_with("_test") || stem == "tests" || stem == "conftest"
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
        ] {
            assert!(is_test_file(Path::new(test)), "{test}");
        }
        for plain in [
            "testimonials.py",
            "contests/views.py",
            "latest.py",
            "attest.py",
            "app/views.py",
        ] {
            assert!(!is_test_file(Path::new(plain)), "{plain}");
        }
    }
}
