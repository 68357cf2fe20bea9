//! The reproducers of issue 14, one test each, through the built binary on
//! files on disk: what an outside probe found that broke the scanner (a fix
//! builder that panicked, special files, closed descriptors, a slow server,
//! hostile names). Each test is named after its reproducer's number.
//!
//! Some need to run without root's privileges (a folder root can always
//! read). As root they run the binary through `setpriv` as `nobody`; where
//! that is impossible they fail under `CI=true` and skip with a reason
//! elsewhere.

#![allow(
    clippy::print_stderr,
    reason = "a skipped check says why in the test log"
)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "common/process.rs"]
mod process;

/// The start of every reproducer: a Django response `r`.
const H: &str = "from django.http import HttpResponse\nr = HttpResponse()\n";

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_pathfinder")
}

/// A project folder holding `files`.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }
    dir
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}); exit {:?}; stderr:\n{}\nstdout:\n{}",
                self.code,
                self.stderr,
                String::from_utf8_lossy(&self.stdout)
            )
        })
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs `command`; kills it and fails when it outlives `timeout`.
fn run_command(command: Command, timeout: Duration) -> Run {
    let finished = process::run_with_deadline(command, timeout);
    Run {
        code: finished.status.code(),
        stdout: finished.stdout,
        stderr: finished.stderr,
    }
}

fn pathfinder<S: AsRef<OsStr>>(args: &[S]) -> Run {
    let mut command = Command::new(binary());
    command.args(args).env("NO_COLOR", "1");
    run_command(command, Duration::from_mins(2))
}

fn scan_json(dir: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&OsStr> = vec!["scan".as_ref(), "-o".as_ref(), "json".as_ref()];
    args.extend(extra.iter().map(OsStr::new));
    args.push(OsStr::new("-p"));
    args.push(dir.as_os_str());
    pathfinder(&args)
}

fn lines_of(json: &Value) -> Vec<u64> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| finding["line"].as_u64().unwrap())
        .collect()
}

fn notices(json: &Value) -> Vec<(String, String)> {
    json["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|notice| {
            (
                notice["path"].as_str().unwrap().to_string(),
                notice["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A test that cannot run here: fails under `CI=true`, skips elsewhere.
fn cannot_run(test: &str, reason: &str) {
    assert!(
        std::env::var("CI").map_or(true, |value| value != "true"),
        "{test}: {reason}; CI must be able to run it"
    );
    eprintln!("{test}: skipped: {reason}");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// The binary as a user that permissions apply to: itself when the tests do
/// not run as root, else `setpriv` to `nobody`. `None` when neither works.
fn unprivileged() -> Option<Command> {
    if !is_root() {
        return Some(Command::new(binary()));
    }
    let works = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|status| status.success());
    works.then(|| {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", binary()]);
        command
    })
}

/// A folder that `nobody` may enter, for the permission tests.
fn open_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

// 1. A panic while building a fix lost every finding of the file.
#[test]
fn r01_a_call_that_does_not_parse_keeps_the_files_findings() {
    let source = format!(
        "{H}r.set_cookie(\"ok\", \"v\")\nr.set_cookie(\"sessionid\", \")\ndef f():\n    pass\n"
    );
    let dir = project(&[("a.py", source.as_bytes())]);
    let run = scan_json(dir.path(), &["--fail-on", "low"]);
    let json = run.json();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let lines = lines_of(&json);
    assert!(lines.contains(&3), "the valid call's finding: {json:#}");
    for (_, reason) in notices(&json) {
        assert!(!reason.contains("internal error"), "{reason}");
    }
    // The call that does not parse gets no fix: an edit into broken code
    // cannot be checked.
    for finding in json["findings"].as_array().unwrap() {
        if finding["line"] == 4 {
            assert!(finding["fix"].is_null(), "{finding:#}");
        }
    }
}

// 2. Edits landed inside a parenthesised last argument.
#[test]
fn r02_fixes_go_after_a_parenthesised_last_argument() {
    let calls = [
        "r.set_cookie(\"sessionid\", (\"v\"))",
        "r.set_cookie(\"a\", (x := \"v\"))",
        "r.set_cookie(\"b\", (\"a\" \"b\"))",
        "r.set_cookie(\"c\", \"v\", (60))",
        "r.set_cookie(\"d\", (\"long\"\n\"value\"))",
    ];
    let mut source = H.to_string();
    for call in calls {
        source.push_str(call);
        source.push('\n');
    }
    let dir = project(&[("a.py", source.as_bytes())]);
    let json = scan_json(dir.path(), &[]).json();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5, "{json:#}");
    // Each edit inserts right before the call's own closing parenthesis,
    // which is the last character of the finding's range.
    let mut expected = Vec::new();
    for (finding, call) in findings.iter().zip(calls) {
        let edit = &finding["fix"]["edits"][0];
        let at = (
            edit["start"]["line"].as_u64(),
            edit["start"]["column"].as_u64(),
        );
        let end = (
            finding["end_line"].as_u64(),
            finding["end_column"].as_u64().map(|column| column - 1),
        );
        assert_eq!(at, end, "{call}: {finding:#}");
        expected.push(at.1);
    }
    // SARIF carries the same edits.
    let sarif = pathfinder(&[
        "scan".as_ref(),
        "-o".as_ref(),
        "sarif".as_ref(),
        "-p".as_ref(),
        dir.path().as_os_str(),
    ])
    .json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let columns: Vec<Option<u64>> = results
        .iter()
        .map(|result| {
            result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
                ["startColumn"]
                .as_u64()
        })
        .collect();
    assert_eq!(columns, expected, "{sarif:#}");
    // Every fix applies, the file still parses, and nothing is left.
    let run = pathfinder(&[
        "scan".as_ref(),
        "--fix".as_ref(),
        "-o".as_ref(),
        "json".as_ref(),
        "-p".as_ref(),
        dir.path().as_os_str(),
    ]);
    let json = run.json();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(notices(&json), [], "{json:#}");
    let fixed = std::fs::read_to_string(dir.path().join("a.py")).unwrap();
    assert!(
        fixed.contains(
            "r.set_cookie(\"a\", (x := \"v\"), secure=True, httponly=True, samesite=\"Lax\")"
        ),
        "{fixed}"
    );
}

// 6. `-j 5000` and `jobs = 100000` ran for minutes.
#[test]
fn r06_thread_count_is_capped() {
    let dir = project(&[("a.py", format!("{H}r.set_cookie('a', 'b')\n").as_bytes())]);
    let started = Instant::now();
    let run = scan_json(dir.path(), &["-j", "5000"]);
    assert_eq!(lines_of(&run.json()), [3]);
    assert!(run.stderr.contains("using"), "{}", run.stderr);
    std::fs::write(dir.path().join(".pathfinder.toml"), "jobs = 100000\n").unwrap();
    let run = scan_json(dir.path(), &[]);
    assert_eq!(lines_of(&run.json()), [3]);
    assert!(run.stderr.contains("100000 jobs"), "{}", run.stderr);
    // Both scans together take a moment, not minutes; the bound is loose
    // enough for a loaded machine.
    assert!(
        started.elapsed() < Duration::from_mins(1),
        "{:?}",
        started.elapsed()
    );
}

// 7. `--config /dev/zero` and `--baseline /dev/zero` grew without limit.
#[test]
fn r07_config_and_baseline_must_be_small_regular_files() {
    let dir = project(&[("a.py", format!("{H}r.set_cookie('a', 'b')\n").as_bytes())]);
    for flag in ["--config", "--baseline"] {
        let run = scan_json(dir.path(), &[flag, "/dev/zero"]);
        assert_eq!(run.code, Some(2), "{flag}: {}", run.stderr);
        assert!(
            run.stderr.contains("not a regular file"),
            "{flag}: {}",
            run.stderr
        );
    }
    // A named pipe would block a read forever.
    let fifo = dir.path().join("config.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let run = scan_json(dir.path(), &["--config", fifo.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    // A regular file over the limit is refused before it is read.
    let big = dir.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(300 * 1024 * 1024).unwrap();
    let run = scan_json(dir.path(), &["--baseline", big.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("larger than"), "{}", run.stderr);
    let run = scan_json(dir.path(), &["--config", big.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("larger than"), "{}", run.stderr);
}

// 8. Special files named `x.py` were skipped without a word; `-p /dev/zero`
// found "0 Python files"; an unreadable root was an empty path.
#[test]
fn r08_special_files_are_named_in_notices() {
    let good = format!("{H}r.set_cookie('a', 'b')\n");
    let dir = project(&[("good.py", good.as_bytes())]);
    assert!(
        Command::new("mkfifo")
            .arg(dir.path().join("pipe.py"))
            .status()
            .unwrap()
            .success()
    );
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("socket.py")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.py")).unwrap();
    let run = scan_json(dir.path(), &[]);
    let json = run.json();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(lines_of(&json), [3], "{json:#}");
    let notices = notices(&json);
    let reason = |path: &str| {
        notices.iter().find(|(at, _)| at == path).map_or_else(
            || panic!("no notice for {path}: {notices:?}"),
            |(_, reason)| reason.clone(),
        )
    };
    assert!(reason("pipe.py").contains("named pipe"), "{notices:?}");
    assert!(reason("socket.py").contains("socket"), "{notices:?}");
    assert!(reason("zero.py").contains("/dev/zero"), "{notices:?}");

    let run = scan_json(Path::new("/dev/zero"), &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`/dev/zero` is neither a folder nor a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn r08_unreadable_project_paths_are_errors_that_say_so() {
    use std::os::unix::fs::PermissionsExt;
    let Some(mut command) = unprivileged() else {
        cannot_run(
            "r08_unreadable_project_paths_are_errors_that_say_so",
            "running as root without a working `setpriv`",
        );
        return;
    };
    let dir = open_tempdir();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("a.py"), format!("{H}r.set_cookie('a', 'b')\n")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    command.args(["scan", "-o", "json", "-p"]).arg(&locked);
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("cannot read project path `{}`", locked.display()))
            && run.stderr.contains("ermission denied"),
        "{}",
        run.stderr
    );
    let mut command = unprivileged().unwrap();
    command
        .args(["scan", "-o", "json", "-p"])
        .arg(locked.join("a.py"));
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(run.stderr.contains("ermission denied"), "{}", run.stderr);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// 9. A closed standard output lost the report and exited 0.
#[test]
fn r09_closed_stdout_is_an_error_but_a_closed_pipe_is_not() {
    let dir = project(&[("a.py", format!("{H}r.set_cookie('a', 'b')\n").as_bytes())]);
    let mut command = Command::new("sh");
    command
        .args(["-c", "exec \"$0\" scan -p \"$1\" >&-", binary()])
        .arg(dir.path());
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("standard output"), "{}", run.stderr);
    // Sending the report to /dev/null on purpose is not a closed output.
    let mut command = Command::new("sh");
    command
        .args(["-c", "exec \"$0\" scan -p \"$1\" >/dev/null", binary()])
        .arg(dir.path());
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // With --output-file the closed standard output does not matter.
    let report = dir.path().join("report.json");
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            "exec \"$0\" scan -o json -f \"$2\" -p \"$1\" >&-",
            binary(),
        ])
        .arg(dir.path())
        .arg(&report);
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(lines_of(&json), [3]);
    // A reader that stops early (`| head`) is a broken pipe: quiet, exit 0.
    let many: String = (0..3000).fold(String::new(), |mut text, i| {
        text.push_str("r.set_cookie('c");
        text.push_str(&i.to_string());
        text.push_str("', 'v')\n");
        text
    });
    std::fs::write(dir.path().join("a.py"), format!("{H}{many}")).unwrap();
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            "\"$0\" scan -o json -p \"$1\" | head -c 100 >/dev/null; echo \"status ${PIPESTATUS[0]}\" >&2",
            binary(),
        ])
        .arg(dir.path());
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.stderr.trim(), "status 0", "{}", run.stderr);
}

// 10. A GitHub reply trickling one byte a second was reported as "not JSON".
#[test]
fn r10_a_trickling_github_reply_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let body = b"[{\"id\": 1, \"body\": \"hello\"}]";
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                for byte in body {
                    if stream.write_all(&[*byte]).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            });
        }
    });
    let dir = project(&[("a.py", format!("{H}r.set_cookie('a', 'b')\n").as_bytes())]);
    let mut command = Command::new(binary());
    command
        .args(["ci", "-o", "json", "--pr-comment", "-p"])
        .arg(dir.path())
        .args([
            "--github-token",
            "t0k3n",
            "--github-repo",
            "acme/shop",
            "--github-pr",
            "7",
        ])
        .env("GITHUB_API_URL", &url)
        .env("PATHFINDER_GITHUB_TIMEOUT", "2")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_EVENT_PATH");
    let started = Instant::now();
    let run = run_command(command, Duration::from_mins(1));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
    assert!(!run.stderr.contains("not JSON"), "{}", run.stderr);
    assert!(!run.stderr.contains("t0k3n"), "{}", run.stderr);
    // The report is still written.
    assert_eq!(lines_of(&run.json()), [3]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

// 11. A Latin-1 file name became `caf%EF%BF%BD.py` in SARIF, `caf�.py` in JSON.
#[test]
fn r11_file_names_keep_their_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.py");
    std::fs::write(
        dir.path().join(name),
        format!("{H}r.set_cookie('a', 'b')\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("100%.py"),
        format!("{H}r.set_cookie('a', 'b')\n"),
    )
    .unwrap();
    let json = scan_json(dir.path(), &[]).json();
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["100%25.py", "caf%E9.py"], "{json:#}");
    let sarif = pathfinder(&[
        "scan".as_ref(),
        "-o".as_ref(),
        "sarif".as_ref(),
        "-p".as_ref(),
        dir.path().as_os_str(),
    ])
    .json();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["100%25.py", "caf%E9.py"], "{sarif:#}");
}

// 12. Control characters in a cookie name reached `--output github` raw.
#[test]
fn r12_control_characters_never_reach_workflow_commands() {
    let source = format!(
        "{H}r.set_cookie(\"a\\x1b[31mb\\x07c\\u202ed\", \"v\")\nr.set_cookie(\"x\u{1b}]0;pwned\u{7}y\", \"v\")\n"
    );
    let dir = project(&[("a\u{1b}[1mname.py", source.as_bytes())]);
    let run = pathfinder(&[
        "scan".as_ref(),
        "-o".as_ref(),
        "github".as_ref(),
        "-p".as_ref(),
        dir.path().as_os_str(),
    ]);
    let text = run.stdout();
    assert_eq!(text.lines().count(), 2, "{text}");
    for c in text.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{c:?} in {text:?}"
        );
    }
    assert!(text.contains('\u{241b}'), "escape shown as ␛: {text}");
    // The text output shows the same stand-ins.
    let run = pathfinder(&["scan".as_ref(), "-p".as_ref(), dir.path().as_os_str()]);
    assert!(!run.stdout().contains('\u{1b}'), "{}", run.stdout());
}

// 13. `resp["set-Cookie"] = "sid=1"` was never parsed, so never reported.
#[test]
fn r13_header_names_in_any_case_are_parsed_and_reported() {
    let source = format!("{H}r[\"set-Cookie\"] = \"sid=1\"\nr[\"SET-COOKIE\"] = \"a=1\"\n");
    let dir = project(&[("a.py", source.as_bytes())]);
    let run = scan_json(dir.path(), &["--verbose"]);
    let json = run.json();
    assert_eq!(lines_of(&json), [3, 4], "{json:#}");
    assert!(run.stderr.contains(" 1 parsed"), "{}", run.stderr);
}

// 14. A file with a coding declaration offered a fix that was never applied.
#[test]
fn r14_a_latin1_file_offers_no_fix() {
    let source = b"# -*- coding: latin-1 -*-\nfrom django.http import HttpResponse\nr = HttpResponse()\nr.set_cookie(\"caf\xe9\", \"v\")\n";
    let dir = project(&[("a.py", source)]);
    let json = scan_json(dir.path(), &[]).json();
    assert_eq!(lines_of(&json), [4], "{json:#}");
    assert!(json["findings"][0]["fix"].is_null(), "{json:#}");
    let text = pathfinder(&["scan".as_ref(), "-p".as_ref(), dir.path().as_os_str()]).stdout();
    assert!(!text.contains("[*]") && !text.contains("--fix"), "{text}");
    let run = scan_json(dir.path(), &["--fix"]);
    assert_eq!(lines_of(&run.json()), [4]);
    assert_eq!(std::fs::read(dir.path().join("a.py")).unwrap(), source);
}

/// Where the README says the demo project is, for the verbose test below.
fn demo_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-project")
}

// 15. `cli.rs` asserted `stderr.contains('s')`: the verbose line must carry
// the scan's own counts and a time.
#[test]
fn r15_verbose_line_carries_the_counts_of_the_scan() {
    let run = scan_json(&demo_project(), &["--verbose"]);
    let json = run.json();
    let summary = &json["summary"];
    let line = run
        .stderr
        .lines()
        .find(|line| line.starts_with("pathfinder: "))
        .unwrap_or_else(|| panic!("no verbose line: {}", run.stderr));
    let number = |after: &str| -> u64 {
        let (before, _) = line
            .split_once(after)
            .unwrap_or_else(|| panic!("{after}: {line}"));
        before
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("a number before {after}: {line}"))
    };
    assert_eq!(
        Some(number(" Python files seen")),
        summary["files_seen"].as_u64(),
        "{line}\n{summary}"
    );
    assert_eq!(
        Some(number(" parsed")),
        summary["files_parsed"].as_u64(),
        "{line}\n{summary}"
    );
    let seconds = line
        .rsplit_once(" in ")
        .and_then(|(_, time)| time.strip_suffix('s'))
        .and_then(|time| time.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("a time in seconds at the end: {line}"));
    assert!(seconds > 0.0 && seconds < 120.0, "{line}");
}
