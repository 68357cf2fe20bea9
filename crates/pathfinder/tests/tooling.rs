//! What installs around the scanner, through the built binary: shell
//! completions (run in the shells themselves), manual pages (rendered by
//! groff), `--version` with the commit, and `scan FILES`, which the
//! pre-commit hook relies on. The completion and man tests need bash, zsh,
//! fish and groff: with CI=true a missing one fails the test; elsewhere the
//! test says why and passes.

#![allow(
    clippy::print_stderr,
    reason = "a test says why it skips when a shell or groff is missing outside CI"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn pathfinder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pathfinder")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether `tool` can be run; with CI=true a missing tool fails the test.
fn have(tool: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none_or(|value| value != "true"),
            "`{tool}` is needed for this test and CI=true (.ci/run installs it)"
        );
        eprintln!("skipped: `{tool}` cannot be run");
    }
    found
}

/// Runs a shell script with the binary's folder first on PATH.
fn shell(program: &str, script: &str) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_pathfinder"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new(program)
        .args(["-c", script])
        .env("PATH", path)
        .output()
        .expect("run the shell")
}

/// What bash offers after `words` (the last word is the one being completed).
fn bash_complete(words: &str) -> Vec<String> {
    let script = format!(
        r#"source <(pathfinder completions bash) || exit 3
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
[[ "{words}" == *" " ]] && COMP_CWORD=${{#COMP_WORDS[@]}} && COMP_WORDS+=("")
_pathfinder pathfinder "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    let output = shell("bash", &script);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).lines().map(ToString::to_string).collect()
}

#[test]
fn bash_completes_commands_flags_and_values() {
    if !have("bash") {
        return;
    }
    assert!(bash_complete("pathfinder sc").contains(&"scan".to_string()));
    assert_eq!(bash_complete("pathfinder scan --rules"), ["--ruleset"]);
    let formats = bash_complete("pathfinder scan --output ");
    for format in ["text", "json", "sarif", "csv", "github", "gitlab"] {
        assert!(formats.contains(&format.to_string()), "{formats:?}");
    }
    let shells = bash_complete("pathfinder completions ");
    for name in ["bash", "zsh", "fish", "powershell"] {
        assert!(shells.contains(&name.to_string()), "{shells:?}");
    }
}

#[test]
fn fish_completes_commands_and_flags() {
    if !have("fish") {
        return;
    }
    let output = shell(
        "fish",
        "pathfinder completions fish | source; complete -C 'pathfinder ex'; complete -C 'pathfinder scan --fail'",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let offered = stdout(&output);
    assert!(
        offered.lines().any(|line| line.starts_with("explain\t")),
        "{offered}"
    );
    assert!(
        offered.lines().any(|line| line.starts_with("--fail-on\t")),
        "{offered}"
    );
}

#[test]
fn zsh_loads_its_completion() {
    if !have("zsh") {
        return;
    }
    // The script is a completion function: zsh must parse it, and with the
    // completion system loaded, sourcing it defines `_pathfinder`.
    let output = shell(
        "zsh",
        "autoload -U compinit && compinit -u -D && source <(pathfinder completions zsh) && whence -w _pathfinder",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), "_pathfinder: function");
    let script = stdout(&pathfinder(&["completions", "zsh"]));
    assert!(script.starts_with("#compdef pathfinder"), "{script}");
    assert!(script.contains("--ruleset"));
}

#[test]
fn powershell_and_elvish_scripts_are_generated() {
    // No PowerShell here: the script is checked for what registers it.
    let script = stdout(&pathfinder(&["completions", "powershell"]));
    assert!(script.contains("Register-ArgumentCompleter -Native -CommandName 'pathfinder'"));
    assert!(script.contains("'--ruleset'"));
    let script = stdout(&pathfinder(&["completions", "elvish"]));
    assert!(script.contains("edit:completion:arg-completer[pathfinder]"));
    let output = pathfinder(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
}

/// Every long flag `pathfinder COMMAND --help` lists.
fn long_flags(command: &str) -> Vec<String> {
    let help = stdout(&pathfinder(&[command, "--help"]));
    let mut flags: Vec<String> = help
        .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == '=')
        .filter(|word| word.starts_with("--") && word.len() > 2)
        .map(|word| {
            word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .collect();
    flags.sort();
    flags.dedup();
    flags
}

/// `page` rendered by groff as plain text (words separated by one space),
/// asserting groff had nothing to say.
fn render(page: &str) -> String {
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou", "-rHY=0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run groff");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), page.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(stderr(&output), "", "groff warnings");
    // Hyphens may come out as Unicode hyphens or minus signs; white space
    // depends on justification.
    let text = stdout(&output).replace(['\u{2010}', '\u{2212}'], "-");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn man_pages_list_every_flag() {
    let page = stdout(&pathfinder(&["man"]));
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH pathfinder 1"), "{page}");
    let scan = stdout(&pathfinder(&["man", "scan"]));
    assert!(scan.contains(".TH pathfinder-scan 1"), "{scan}");
    let output = pathfinder(&["man", "nosuch"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("scan, ci, rules, explain"),
        "{}",
        stderr(&output)
    );
    if !have("groff") {
        return;
    }
    let text = render(&page);
    for command in ["scan", "ci", "rules", "explain", "completions", "man"] {
        assert!(text.contains(&format!("pathfinder-{command}(1)")), "{text}");
    }
    let text = render(&scan);
    assert!(
        text.contains("pathfinder scan [") && text.contains("[FILES]"),
        "{text}"
    );
    let flags = long_flags("scan");
    assert!(flags.len() > 15, "{flags:?}");
    for flag in flags {
        assert!(
            text.contains(&flag),
            "`{flag}` missing from pathfinder-scan(1):\n{text}"
        );
    }
    let ci = render(&stdout(&pathfinder(&["man", "ci"])));
    assert!(
        ci.contains("--pr-inline") && ci.contains("--github-token"),
        "{ci}"
    );
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn version_names_the_commit() {
    let output = pathfinder(&["--version"]);
    assert!(output.status.success());
    let version = stdout(&output);
    let head = Command::new("git")
        .args(["rev-parse", "--show-toplevel", "HEAD"])
        .current_dir(workspace_root())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| stdout(&output));
    let expected_commit = match head {
        Some(lines)
            if Path::new(lines.lines().next().unwrap()).canonicalize().ok()
                == workspace_root().canonicalize().ok() =>
        {
            lines.lines().nth(1).unwrap()[..12].to_string()
        }
        _ => "commit unknown".to_string(),
    };
    let prefix = format!(
        "pathfinder {} ({expected_commit}",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        version.starts_with(&prefix),
        "{version:?} should start with {prefix:?}"
    );
    assert!(version.ends_with(")\n"), "{version:?}");
    assert_eq!(stdout(&pathfinder(&["-V"])), version);
}

const INSECURE_VIEW: &str = "from django.http import HttpResponse\n\n\ndef view(request):\n    response = HttpResponse('ok')\n    response.set_cookie('a', 'b')\n    return response\n";

/// A deployed Django project (the settings never set `SESSION_COOKIE_SECURE`)
/// with two insecure views.
fn django_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("mysite/__init__.py", ""),
        (
            "mysite/settings.py",
            "SECRET_KEY = 'x'\nDEBUG = False\nALLOWED_HOSTS = ['example.com']\n",
        ),
        (
            "mysite/wsgi.py",
            "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napplication = get_wsgi_application()\n",
        ),
        ("shop/views.py", INSECURE_VIEW),
        ("blog/views.py", INSECURE_VIEW),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The `(rule, path)` of each finding of `scan -o json ARGS`, run in `dir`.
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(["scan", "-o", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.code() == Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["rule_id"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn scan_files_reports_only_them_from_the_whole_project() {
    let dir = django_project();
    let all = findings(dir.path(), &[]);
    assert!(all.len() >= 3, "{all:?}");
    assert_eq!(
        findings(dir.path(), &["shop/views.py"]),
        [(
            "PYTHON-DJANGO-SEC-070".to_string(),
            "shop/views.py".to_string()
        )]
    );
    // The settings module alone is judged with the project around it:
    // wsgi.py, not named, is what shows it is deployed.
    let settings = findings(dir.path(), &["mysite/settings.py"]);
    assert!(!settings.is_empty(), "{all:?}");
    assert!(settings.iter().all(
        |(rule, path)| path == "mysite/settings.py" && rule.starts_with("PYTHON-DJANGO-SEC-07")
    ));
    // Paths are relative to the working folder, `--project` may be elsewhere,
    // and what the project excludes stays out even when named.
    let project = dir.path().to_str().unwrap();
    let named = [
        format!("{project}/blog/views.py"),
        format!("{project}/shop/views.py"),
    ];
    let both = findings(Path::new("/"), &["-p", project, &named[0], &named[1]]);
    assert_eq!(both.len(), 2, "{both:?}");
    let excluded = findings(
        Path::new("/"),
        &["-p", project, "--exclude", "blog", &named[0], &named[1]],
    );
    assert_eq!(
        excluded,
        [(
            "PYTHON-DJANGO-SEC-070".to_string(),
            "shop/views.py".to_string()
        )]
    );
}

#[test]
fn scan_files_fixes_only_them() {
    let dir = django_project();
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(["scan", "--fix", "--fail-on=low", "shop/views.py"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let fixed = std::fs::read_to_string(dir.path().join("shop/views.py")).unwrap();
    assert!(fixed.contains("secure=True"), "{fixed}");
    for untouched in ["blog/views.py", "mysite/settings.py"] {
        let text = std::fs::read_to_string(dir.path().join(untouched)).unwrap();
        assert!(
            !text.contains("SECURE") && !text.contains("secure="),
            "{untouched}: {text}"
        );
    }
}

#[test]
fn scan_files_outside_the_project_missing_or_folders_are_usage_errors() {
    let dir = django_project();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("x.py"), INSECURE_VIEW).unwrap();
    let outside = other.path().join("x.py");
    for file in [outside.to_str().unwrap(), "shop/missing.py", "shop"] {
        let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
            .args(["scan", file])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{file}");
        let message = stderr(&output);
        assert!(
            message.contains("outside the project")
                || message.contains("cannot read")
                || message.contains("is a folder"),
            "{message}"
        );
    }
}
