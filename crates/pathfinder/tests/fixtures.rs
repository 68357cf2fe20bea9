//! The annotation harness: runs the built binary over every fixture folder and
//! compares its findings with the `# ruleid:` / `# ok:` / `# todoruleid:` /
//! `# todook:` annotations in the fixture files.
//!
//! An annotation applies to the first line after it that is not itself an
//! annotation, with one exception: a block of annotations that opens the
//! file (starting on line 1) applies to line 1. Module-level findings (a
//! setting that a deployed Django settings module never sets) are reported
//! on line 1, and nothing can precede the first line. The harness fails on an annotated line without its finding, a
//! finding on an `ok` line, a finding with no annotation, a `todo` annotation
//! that has started to hold (promote it), and an annotation naming an unknown
//! rule. On failure it prints each rule's TP/TN/FP/FN counts and the expected
//! and reported lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    RuleId,
    Ok,
    TodoRuleId,
    TodoOk,
}

#[derive(Debug)]
struct Annotation {
    kind: Kind,
    rule: String,
    /// The annotation's own line, for messages.
    at: usize,
    /// The line it applies to.
    target: usize,
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pathfinder_rules/resources/test/fixtures")
}

fn known_rules() -> BTreeSet<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(["rules", "--json"])
        .output()
        .expect("run pathfinder rules");
    let list: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("rules --json is JSON");
    list.as_array()
        .expect("a list")
        .iter()
        .map(|rule| rule["id"].as_str().expect("an id").to_string())
        .collect()
}

fn python_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read fixture dir")
        .flatten()
        .collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            python_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "py")
            && !path.to_string_lossy().ends_with(".fixed.py")
        {
            found.push(path);
        }
    }
}

fn parse_annotations(text: &str) -> Result<Vec<Annotation>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut annotations = Vec::new();
    let mut pending: Vec<(Kind, String, usize)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        let parsed = trimmed
            .strip_prefix('#')
            .map(str::trim_start)
            .and_then(|rest| {
                [
                    ("todoruleid:", Kind::TodoRuleId),
                    ("todook:", Kind::TodoOk),
                    ("ruleid:", Kind::RuleId),
                    ("ok:", Kind::Ok),
                ]
                .into_iter()
                .find_map(|(prefix, kind)| rest.strip_prefix(prefix).map(|ids| (kind, ids)))
            });
        if let Some((kind, ids)) = parsed {
            for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
                pending.push((kind, id.to_string(), number));
            }
        } else {
            let opens_file = pending.first().is_some_and(|(_, _, at)| *at == 1);
            let target = if opens_file { 1 } else { number };
            for (kind, rule, at) in pending.drain(..) {
                annotations.push(Annotation {
                    kind,
                    rule,
                    at,
                    target,
                });
            }
        }
    }
    if let Some((_, rule, at)) = pending.first() {
        return Err(format!(
            "line {at}: annotation for {rule} is not followed by code"
        ));
    }
    Ok(annotations)
}

#[derive(Default)]
struct Counts {
    tp: usize,
    tn: usize,
    fp: usize,
    fn_: usize,
}

#[test]
fn fixtures_match_annotations() {
    let known = known_rules();
    let root = fixtures_root();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures folder")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(
        !dirs.is_empty(),
        "no fixture folders under {}",
        root.display()
    );

    let mut errors: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut expected_lines: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut reported_lines: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut annotated_sites = 0;

    for dir in &dirs {
        let dir_name = dir.file_name().unwrap().to_string_lossy().to_string();
        if !known.contains(&dir_name) {
            errors.push(format!("fixture folder {dir_name} names no known rule"));
        }
        let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
            .args([
                "scan",
                "--output",
                "json",
                "--exclude",
                "*.fixed.py",
                "--project",
            ])
            .arg(dir)
            .output()
            .expect("run pathfinder scan");
        assert!(
            output.status.code() == Some(0),
            "scan of {dir_name} exited with {:?}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let json: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("scan output is JSON");
        let mut reported: BTreeSet<(String, usize, String)> = BTreeSet::new();
        for finding in json["findings"].as_array().expect("findings") {
            let key = (
                finding["path"].as_str().unwrap().to_string(),
                usize::try_from(finding["line"].as_u64().unwrap()).unwrap(),
                finding["rule_id"].as_str().unwrap().to_string(),
            );
            reported_lines
                .entry(key.2.clone())
                .or_default()
                .push(format!("{dir_name}/{}:{}", key.0, key.1));
            reported.insert(key);
        }
        for notice in json["notices"].as_array().expect("notices") {
            errors.push(format!("{dir_name}: unexpected notice {notice}"));
        }

        let mut files = Vec::new();
        python_files(dir, &mut files);
        let mut annotated: BTreeSet<(String, usize, String)> = BTreeSet::new();
        for file in files {
            let relative = file
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).expect("fixture is UTF-8");
            let annotations = match parse_annotations(&text) {
                Ok(annotations) => annotations,
                Err(error) => {
                    errors.push(format!("{dir_name}/{relative}: {error}"));
                    continue;
                }
            };
            for annotation in annotations {
                let location = format!("{dir_name}/{relative}:{}", annotation.target);
                if !known.contains(&annotation.rule) {
                    errors.push(format!(
                        "{dir_name}/{relative}:{}: annotation names unknown rule `{}`",
                        annotation.at, annotation.rule
                    ));
                    continue;
                }
                annotated_sites += 1;
                let key = (relative.clone(), annotation.target, annotation.rule.clone());
                let found = reported.contains(&key);
                annotated.insert(key);
                let count = counts.entry(annotation.rule.clone()).or_default();
                match (annotation.kind, found) {
                    (Kind::RuleId, true) => count.tp += 1,
                    (Kind::RuleId, false) => {
                        count.fn_ += 1;
                        errors.push(format!(
                            "{location}: expected {} finding, none reported",
                            annotation.rule
                        ));
                    }
                    (Kind::Ok, false) => count.tn += 1,
                    (Kind::Ok, true) => {
                        count.fp += 1;
                        errors.push(format!(
                            "{location}: {} reported on an `ok` line",
                            annotation.rule
                        ));
                    }
                    (Kind::TodoRuleId, true) => errors.push(format!(
                        "{location}: `todoruleid: {}` now holds; promote it to `ruleid`",
                        annotation.rule
                    )),
                    (Kind::TodoOk, false) => errors.push(format!(
                        "{location}: `todook: {}` now holds; promote it to `ok`",
                        annotation.rule
                    )),
                    (Kind::TodoRuleId, false) => count.fn_ += 1,
                    (Kind::TodoOk, true) => count.fp += 1,
                }
                if matches!(annotation.kind, Kind::RuleId | Kind::TodoRuleId) {
                    expected_lines
                        .entry(annotation.rule.clone())
                        .or_default()
                        .push(location);
                }
            }
        }
        for key in reported.difference(&annotated) {
            errors.push(format!(
                "{dir_name}/{}:{}: {} finding has no annotation",
                key.0, key.1, key.2
            ));
        }
    }

    if !errors.is_empty() {
        let mut message = String::from("fixture annotations do not match the findings\n\n");
        for (rule, count) in &counts {
            let _ = writeln!(
                message,
                "{rule}: TP {} TN {} FP {} FN {}",
                count.tp, count.tn, count.fp, count.fn_
            );
            let _ = writeln!(
                message,
                "  expected lines: {:?}",
                expected_lines.get(rule).cloned().unwrap_or_default()
            );
            let _ = writeln!(
                message,
                "  reported lines: {:?}",
                reported_lines.get(rule).cloned().unwrap_or_default()
            );
        }
        message.push('\n');
        for error in &errors {
            message.push_str(error);
            message.push('\n');
        }
        panic!("{message}");
    }
    assert!(annotated_sites > 0, "no annotations found");
}

#[test]
fn annotation_parsing() {
    let annotations =
        parse_annotations("import z\n# ruleid: A\n# ok: B, C\nx()\n# todook: A\ny()\n").unwrap();
    let summary: Vec<(Kind, &str, usize)> = annotations
        .iter()
        .map(|a| (a.kind, a.rule.as_str(), a.target))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Kind::RuleId, "A", 4),
            (Kind::Ok, "B", 4),
            (Kind::Ok, "C", 4),
            (Kind::TodoOk, "A", 6)
        ]
    );
    assert!(parse_annotations("x()\n# ruleid: A\n").is_err());
    let opening =
        parse_annotations("# ruleid: A\n\"\"\"Settings.\"\"\"\n# ok: B\nx = 1\n").unwrap();
    let targets: Vec<(&str, usize)> = opening
        .iter()
        .map(|a| (a.rule.as_str(), a.target))
        .collect();
    assert_eq!(targets, vec![("A", 1), ("B", 4)]);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn fix_run(dir: &Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args([
            "scan",
            "--fix",
            "--unsafe-fixes",
            "--output",
            "json",
            "--exclude",
            "*.fixed.py",
            "--project",
        ])
        .arg(dir)
        .output()
        .expect("run pathfinder scan --fix");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// Ruff's fix invariants, on every fixture folder: applying safe and unsafe
/// fixes reaches a fixpoint (no finding with a fix is left), never makes a
/// file unparseable, is idempotent, and turns each `X.py` that has an
/// `X.fixed.py` beside it into exactly that file.
#[test]
fn fixes_reach_a_fixpoint_and_match_fixed_files() {
    let root = fixtures_root();
    let scratch = tempfile::tempdir().unwrap();
    let mut errors = Vec::new();
    let mut compared = 0;
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let copy = scratch.path().join(&name);
        copy_tree(&entry.path(), &copy);
        let first = fix_run(&copy);
        for finding in first["findings"].as_array().unwrap() {
            if !finding["fix"].is_null() {
                errors.push(format!(
                    "{name}/{}:{}: a fix is left after --fix",
                    finding["path"], finding["line"]
                ));
            }
        }
        for notice in first["notices"].as_array().unwrap() {
            errors.push(format!("{name}: notice after --fix: {notice}"));
        }
        let mut files = Vec::new();
        python_files(&copy, &mut files);
        let snapshot: Vec<(PathBuf, String)> = files
            .iter()
            .map(|file| (file.clone(), std::fs::read_to_string(file).unwrap()))
            .collect();
        let second = fix_run(&copy);
        if second["summary"]["fixed"] != 0 {
            errors.push(format!("{name}: a second --fix changed something"));
        }
        for (file, text) in &snapshot {
            if &std::fs::read_to_string(file).unwrap() != text {
                errors.push(format!(
                    "{name}: {} changed on the second --fix",
                    file.display()
                ));
            }
            let fixed = entry
                .path()
                .join(file.strip_prefix(&copy).unwrap())
                .with_extension("fixed.py");
            if fixed.exists() {
                compared += 1;
                let expected = std::fs::read_to_string(&fixed).unwrap();
                if &expected != text {
                    errors.push(format!(
                        "{name}: {} after --fix --unsafe-fixes differs from {}:\n{text}",
                        file.display(),
                        fixed.display()
                    ));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(compared > 0, "no .fixed.py file was compared");
}
