//! What the fuzz targets check, as plain functions: each takes the fuzzer's
//! bytes and panics when an invariant of the scanner breaks. libFuzzer turns
//! any panic (even one the engine would catch and report) into a crash.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pathfinder_diagnostics::AttributeState;
use pathfinder_emit::{EmitOptions, Format};
use pathfinder_engine::{FixMode, NoProgress, ScanReport, Settings, scan};

/// The file each run writes the input to, in a folder kept for the process.
fn target_file() -> &'static Path {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = FILE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("views.py");
        (dir, path)
    });
    path
}

fn settings(path: &Path, fix: FixMode) -> Settings {
    Settings {
        root: path.to_path_buf(),
        rules: pathfinder_rules::rules().to_vec(),
        skip_tests: false,
        jobs: 1,
        fix,
        ..Settings::default()
    }
}

/// Notices that mean the scanner itself failed, not the input.
fn assert_no_internal_error(report: &ScanReport) {
    for notice in &report.notices {
        assert!(
            !notice.message.contains("internal error") && !notice.message.contains("please report"),
            "{}",
            notice.message
        );
    }
}

/// Target (a): the whole scan of one file, then every output format; the
/// machine-readable ones must be valid JSON.
pub fn scan_file(data: &[u8]) {
    let path = target_file();
    std::fs::write(path, data).expect("write the input");
    let report = scan(&settings(path, FixMode::Off), &NoProgress).expect("the scan runs");
    assert_no_internal_error(&report);
    for format in [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Csv,
        Format::Github,
        Format::Gitlab,
    ] {
        let mut out = Vec::new();
        pathfinder_emit::emit(format, &report, EmitOptions::default(), &mut out)
            .expect("emitting to memory");
        if matches!(format, Format::Json | Format::Sarif | Format::Gitlab) {
            serde_json::from_slice::<serde_json::Value>(&out).expect("valid JSON");
        }
        if format == Format::Github {
            let text = String::from_utf8(out).expect("UTF-8");
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "a control character in a workflow command"
            );
        }
    }
}

/// Target (b): fixes applied (safe and unsafe) keep a file that parsed
/// parsing, and fixing twice equals fixing once. A file that does not parse
/// is only scanned with `--fix` (it must not crash): whether it may be
/// rewritten at all is issue 14's reproducer 3, decided by the fix pipeline.
pub fn fix_file(data: &[u8]) {
    let path = target_file();
    std::fs::write(path, data).expect("write the input");
    let parsed_before = std::str::from_utf8(data)
        .is_ok_and(|source| pathfinder_python::parse(source).errors.is_empty());
    let fix = FixMode::Apply { unsafe_fixes: true };
    let report = scan(&settings(path, fix), &NoProgress).expect("the scan runs");
    assert_no_internal_error(&report);
    if !parsed_before {
        return;
    }
    let once = std::fs::read(path).expect("read the fixed file");
    if once != data {
        let fixed = std::str::from_utf8(&once).expect("a fixed file is UTF-8");
        let reparsed = pathfinder_python::parse(fixed);
        assert!(
            reparsed.errors.is_empty(),
            "the fix broke the file: {:?}\n{fixed}",
            reparsed.errors
        );
    }
    let report = scan(&settings(path, fix), &NoProgress).expect("the scan runs");
    assert_no_internal_error(&report);
    let twice = std::fs::read(path).expect("read the file fixed twice");
    assert!(
        once == twice,
        "fixing twice differs from fixing once:\n{}\n---\n{}",
        String::from_utf8_lossy(&once),
        String::from_utf8_lossy(&twice)
    );
}

/// Target (c): the raw `Set-Cookie` reader never panics, always judges the
/// three attributes, and a header with the attributes the fix appends is
/// judged secure.
pub fn set_cookie_header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(header) = pathfinder_rules::read_set_cookie_header(text) else {
        assert!(!text.split(';').next().unwrap_or_default().contains('='));
        return;
    };
    let names: Vec<&str> = header.attributes.iter().map(|a| a.attribute).collect();
    assert_eq!(names, ["secure", "httponly", "samesite"]);
    if text.contains('\0') {
        return;
    }
    // What the rule's fix appends for missing attributes.
    let missing: Vec<&str> = header
        .attributes
        .iter()
        .filter(|finding| finding.state == AttributeState::Missing)
        .map(|finding| match finding.attribute {
            "secure" => "Secure",
            "httponly" => "HttpOnly",
            _ => "SameSite=Lax",
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let separator = if text.trim_end().ends_with(';') {
        " "
    } else {
        "; "
    };
    let fixed = format!("{text}{separator}{}", missing.join("; "));
    let after = pathfinder_rules::read_set_cookie_header(&fixed).expect("still a cookie");
    for finding in &after.attributes {
        assert_ne!(
            finding.state,
            AttributeState::Missing,
            "{fixed:?}: {} still missing",
            finding.attribute
        );
    }
}
