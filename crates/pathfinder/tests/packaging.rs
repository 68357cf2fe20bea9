//! The Python packaging, as a user meets it:
//!
//! - the wheel, built by maturin from a clean clone of this repository and
//!   installed with pip into a fresh virtualenv, gives a `pathfinder` that
//!   names its commit and scans `examples/demo-project` as the cargo-built
//!   binary does;
//! - the pre-commit hook, tried with `pre-commit try-repo` on a small git
//!   repository, fails on an insecure staged file, and passes once `--fix`
//!   repaired it;
//! - the GitHub Action's scripts, run with that wheel and the inputs of the
//!   README's example workflow, write SARIF and fail on findings; every
//!   input the README and the scripts name exists in `action.yml`.
//!
//! maturin and pre-commit come from PyPI at pinned versions, in a scratch
//! virtualenv. The wheel is a release build, made once per test run and
//! shared by the tests; pre-commit builds the hook from source again (as it
//! does for users) in the same Cargo target folder, so only the workspace's
//! own crates are compiled twice. That folder is kept in
//! `target/tmp/packaging/cargo-target`, so a second run compiles only what
//! changed. With CI=true a tool that cannot be installed or run fails the
//! tests; elsewhere they say why and pass.

#![allow(
    clippy::print_stderr,
    reason = "a test says why it skips when maturin or pre-commit cannot be had outside CI"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use yaml_rust2::{Yaml, YamlLoader};

const MATURIN: &str = "maturin==1.16.0";
const PRE_COMMIT: &str = "pre-commit==4.7.0";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root")
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|value| value == "true")
}

/// Runs `command`; its output when it exits 0, else what went wrong.
fn run(command: &mut Command) -> Result<Output, String> {
    let output = command
        .output()
        .map_err(|error| format!("cannot run {command:?}: {error}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{command:?} exited with {}:\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(dir).args([
        "-c",
        "user.name=pathfinder tests",
        "-c",
        "user.email=tests@example.com",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
    ]);
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The tools and the wheel, made once and shared by the tests.
struct Toolbox {
    /// The virtualenv holding maturin and pre-commit.
    tools: PathBuf,
    /// The clean clone the wheel is built from, and its commit.
    source: PathBuf,
    commit: String,
    wheel: PathBuf,
    /// Cargo's target folder, shared by every build of this run.
    cargo_target: PathBuf,
    /// Scratch space for this run.
    scratch: PathBuf,
}

/// The toolbox, or `None` (after saying why) when it cannot be made outside CI.
fn toolbox() -> Option<&'static Toolbox> {
    static TOOLBOX: OnceLock<Result<Toolbox, String>> = OnceLock::new();
    match TOOLBOX.get_or_init(make_toolbox) {
        Ok(toolbox) => Some(toolbox),
        Err(why) if !in_ci() => {
            eprintln!("skipped: {why}");
            None
        }
        Err(why) => panic!("CI=true and the packaging tools failed: {why}"),
    }
}

fn make_toolbox() -> Result<Toolbox, String> {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging");
    let scratch = base.join("run");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|error| error.to_string())?;
    }
    std::fs::create_dir_all(&scratch).map_err(|error| error.to_string())?;
    let cargo_target = base.join("cargo-target");

    let tools = scratch.join("tools");
    run(Command::new("python3").args(["-m", "venv"]).arg(&tools))
        .map_err(|error| format!("cannot make a virtualenv: {error}"))?;
    run(Command::new(tools.join("bin/python")).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        MATURIN,
        PRE_COMMIT,
    ]))
    .map_err(|error| format!("cannot install {MATURIN} and {PRE_COMMIT} from PyPI: {error}"))?;

    let source = scratch.join("source");
    let commit = clean_clone(&workspace_root(), &source)?;
    let dist = scratch.join("dist");
    run(Command::new(tools.join("bin/maturin"))
        .args(["build", "--release", "--out"])
        .arg(&dist)
        .current_dir(&source)
        .env("CARGO_TARGET_DIR", &cargo_target))?;
    let wheels: Vec<PathBuf> = std::fs::read_dir(&dist)
        .map_err(|error| error.to_string())?
        .map(|entry| entry.unwrap().path())
        .collect();
    let [wheel] = wheels.as_slice() else {
        return Err(format!("expected one wheel, found {wheels:?}"));
    };
    Ok(Toolbox {
        tools,
        source,
        commit,
        wheel: wheel.clone(),
        cargo_target,
        scratch,
    })
}

/// Copies what a commit of the work tree at `root` would hold (tracked and
/// untracked files, less what `.gitignore` leaves out) to `to`, and commits it
/// there as a repository of its own: what a fresh clone holds. Returns the
/// commit id.
fn clean_clone(root: &Path, to: &Path) -> Result<String, String> {
    let listing = run(git(root).args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
    ]))
    .map_err(|error| format!("the source must be a git checkout: {error}"))?;
    for name in listing.stdout.split(|byte| *byte == 0) {
        if name.is_empty() {
            continue;
        }
        let name = Path::new(std::str::from_utf8(name).map_err(|error| error.to_string())?);
        let from = root.join(name);
        // A file deleted from the work tree but not from the index.
        if !from.is_file() {
            continue;
        }
        let destination = to.join(name);
        std::fs::create_dir_all(destination.parent().unwrap())
            .map_err(|error| error.to_string())?;
        std::fs::copy(&from, &destination).map_err(|error| error.to_string())?;
    }
    run(git(to).args(["init", "-q"]))?;
    run(git(to).args(["add", "-A"]))?;
    run(git(to).args(["commit", "-q", "-m", "a clean clone"]))?;
    let head = run(git(to).args(["rev-parse", "HEAD"]))?;
    Ok(text(&head.stdout).trim().to_string())
}

/// A fresh virtualenv in `dir` with `package` installed; its `bin` folder.
fn venv_with(dir: &Path, package: &Path) -> PathBuf {
    run(Command::new("python3").args(["-m", "venv"]).arg(dir)).unwrap();
    run(Command::new(dir.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(package))
    .unwrap();
    dir.join("bin")
}

/// The `(rule, path, line)` of each finding in a JSON report.
fn findings(json: &[u8]) -> Vec<(String, String, u64)> {
    let report: serde_json::Value = serde_json::from_slice(json).expect("a JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            (
                finding["rule_id"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_wheel_installs_a_working_pathfinder() {
    let Some(toolbox) = toolbox() else { return };
    let name = toolbox.wheel.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with(&format!(
            "pathfinder_cookies-{}-py3-none-",
            env!("CARGO_PKG_VERSION")
        )),
        "{name}"
    );
    let dir = tempfile::tempdir_in(&toolbox.scratch).unwrap();
    let bin = venv_with(&dir.path().join("venv"), &toolbox.wheel);

    let shown =
        run(Command::new(bin.join("python")).args(["-m", "pip", "show", "pathfinder-cookies"]))
            .unwrap();
    assert!(text(&shown.stdout).contains("Name: pathfinder-cookies"));

    let version = run(Command::new(bin.join("pathfinder")).arg("--version")).unwrap();
    let version = text(&version.stdout);
    let expected = format!(
        "pathfinder {} ({} ",
        env!("CARGO_PKG_VERSION"),
        &toolbox.commit[..12]
    );
    assert!(
        version.starts_with(&expected),
        "{version:?} should start with {expected:?}"
    );

    // The installed command scans as the binary under test does.
    let demo = workspace_root().join("examples/demo-project");
    let scan = |program: &Path| {
        let output = Command::new(program)
            .args(["scan", "-o", "json", "-p"])
            .arg(&demo)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        findings(&output.stdout)
    };
    let installed = scan(&bin.join("pathfinder"));
    assert_eq!(installed, scan(Path::new(env!("CARGO_BIN_EXE_pathfinder"))));
    assert!(
        installed
            .iter()
            .any(|(rule, path, _)| rule == "PYTHON-DJANGO-SEC-070" && path == "shop/views.py"),
        "{installed:?}"
    );
}

const INSECURE_VIEW: &str = "from django.http import HttpResponse\n\n\ndef remember(request):\n    response = HttpResponse('ok')\n    response.set_cookie('theme', 'dark')\n    return response\n";

/// Runs pre-commit in `repo`; its exit code and everything it printed.
fn pre_commit(toolbox: &Toolbox, repo: &Path, home: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(toolbox.tools.join("bin/pre-commit"))
        .args(args)
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", &toolbox.cargo_target)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pre-commit");
    (
        output.status.code().unwrap_or(-1),
        format!("{}{}", text(&output.stdout), text(&output.stderr)),
    )
}

#[test]
fn the_pre_commit_hook_fails_then_passes_after_fix() {
    let Some(toolbox) = toolbox() else { return };
    let dir = tempfile::tempdir_in(&toolbox.scratch).unwrap();
    let repo = dir.path().join("repo");
    let home = dir.path().join("pre-commit-home");
    let files = [
        // The project's configuration applies: legacy/ is excluded.
        (
            "pyproject.toml",
            "[tool.pathfinder]\nexclude = [\"legacy/**\"]\n",
        ),
        ("app/views.py", INSECURE_VIEW),
        ("legacy/views.py", INSECURE_VIEW),
        // Not staged: pre-commit does not pass it, so it is not reported.
        ("draft.py", INSECURE_VIEW),
    ];
    for (name, contents) in files {
        let path = repo.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    run(git(&repo).args(["init", "-q"])).unwrap();
    run(git(&repo).args(["add", "pyproject.toml", "app", "legacy"])).unwrap();

    let source = toolbox.source.to_str().unwrap();
    let (code, output) = pre_commit(toolbox, &repo, &home, &["try-repo", source, "pathfinder"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("Failed"), "{output}");
    assert!(output.contains("PYTHON-DJANGO-SEC-070"), "{output}");
    assert!(output.contains("app/views.py"), "{output}");
    assert!(!output.contains("legacy/views.py"), "{output}");
    assert!(!output.contains("draft.py"), "{output}");

    // The same hook from a configuration, with `--fix`.
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {source}\n    rev: {}\n    hooks:\n      - id: pathfinder\n        args: [--fix, --fail-on=low]\n",
            toolbox.commit
        ),
    )
    .unwrap();
    run(git(&repo).args(["add", ".pre-commit-config.yaml"])).unwrap();
    let (code, output) = pre_commit(toolbox, &repo, &home, &["run"]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("files were modified by this hook"),
        "{output}"
    );
    let fixed = std::fs::read_to_string(repo.join("app/views.py")).unwrap();
    assert!(
        fixed.contains(
            "response.set_cookie('theme', 'dark', secure=True, httponly=True, samesite='Lax')"
        ),
        "{fixed}"
    );
    for untouched in ["legacy/views.py", "draft.py"] {
        assert_eq!(
            std::fs::read_to_string(repo.join(untouched)).unwrap(),
            INSECURE_VIEW
        );
    }

    run(git(&repo).args(["add", "app/views.py"])).unwrap();
    let (code, output) = pre_commit(toolbox, &repo, &home, &["run"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("Passed"), "{output}");
}

// ---- The GitHub Action ----------------------------------------------------

fn load_yaml(source: &str, what: &str) -> Yaml {
    let mut documents =
        YamlLoader::load_from_str(source).unwrap_or_else(|error| panic!("{what}: {error}"));
    assert_eq!(documents.len(), 1, "{what}: one YAML document");
    documents.remove(0)
}

fn action() -> Yaml {
    let source = std::fs::read_to_string(workspace_root().join("action.yml")).unwrap();
    load_yaml(&source, "action.yml")
}

/// The names of the action's inputs.
fn inputs(action: &Yaml) -> BTreeSet<String> {
    action["inputs"]
        .as_hash()
        .expect("action.yml has inputs")
        .keys()
        .map(|key| key.as_str().unwrap().to_string())
        .collect()
}

/// The fenced ```yaml blocks of the README.
fn readme_yaml_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match &mut current {
            None if line.trim() == "```yaml" => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// The README's example workflow: the YAML block with `jobs`.
fn readme_workflow() -> Yaml {
    let workflows: Vec<Yaml> = readme_yaml_blocks()
        .iter()
        .map(|block| load_yaml(block, "a README yaml block"))
        .filter(|yaml| !yaml["jobs"].is_badvalue())
        .collect();
    assert_eq!(workflows.len(), 1, "the README has one example workflow");
    workflows.into_iter().next().unwrap()
}

/// The steps of `workflow` that use this action (`uses: OWNER/pathfinder@REF`).
fn our_steps(workflow: &Yaml) -> Vec<Yaml> {
    let mut steps = Vec::new();
    for (_, job) in workflow["jobs"].as_hash().expect("jobs") {
        for step in job["steps"].as_vec().expect("steps") {
            let uses = step["uses"].as_str().unwrap_or_default();
            if uses
                .split('@')
                .next()
                .is_some_and(|name| name.ends_with("/pathfinder"))
            {
                steps.push(step.clone());
            }
        }
    }
    steps
}

#[test]
fn the_readme_workflow_names_real_inputs() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = inputs(&action);
    for wanted in [
        "ruleset",
        "fail-on",
        "inline-comments",
        "summary-comment",
        "upload-sarif",
    ] {
        assert!(inputs.contains(wanted), "action.yml lacks input `{wanted}`");
    }
    let workflow = readme_workflow();
    assert!(!workflow["on"].is_badvalue(), "the workflow has triggers");
    let steps = our_steps(&workflow);
    assert_eq!(steps.len(), 1, "the example workflow uses the action once");
    let with = steps[0]["with"].as_hash().expect("the step has `with`");
    for key in with.keys() {
        let key = key.as_str().unwrap();
        assert!(
            inputs.contains(key),
            "the README passes `{key}`, which action.yml does not define"
        );
    }
    for (name, input) in action["inputs"].as_hash().unwrap() {
        if input["required"].as_bool() == Some(true) {
            assert!(
                with.contains_key(name),
                "the README omits required input {name:?}"
            );
        }
    }
}

/// Every `${{ ... }}` expression in `text`.
fn expressions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let end = rest[start..].find("}}").expect("a closed expression") + start;
        found.push(rest[start + 3..end].trim().to_string());
        rest = &rest[end + 2..];
    }
    found
}

#[test]
fn the_action_names_only_its_own_inputs_and_never_expands_them_in_scripts() {
    let action = action();
    let inputs = inputs(&action);
    let source = std::fs::read_to_string(workspace_root().join("action.yml")).unwrap();
    for expression in expressions(&source) {
        let mut rest = expression.as_str();
        while let Some(at) = rest.find("inputs.") {
            let name: String = rest[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(
                inputs.contains(&name),
                "action.yml uses undefined input `{name}`"
            );
            rest = &rest[at + 7..];
        }
    }
    for step in action["runs"]["steps"].as_vec().unwrap() {
        if let Some(script) = step["run"].as_str() {
            assert_eq!(step["shell"].as_str(), Some("bash"), "{step:?}");
            assert!(
                expressions(script).is_empty(),
                "an expression inside `run:` {script}"
            );
        }
    }
    let upload = action["runs"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads SARIF");
    assert_eq!(
        upload["with"]["sarif_file"].as_str(),
        Some("${{ inputs.sarif-file }}")
    );
}

/// Values for the expressions of the action's `env:` maps, as the runner
/// would give them.
struct Runner<'a> {
    inputs: Vec<(String, String)>,
    action_path: &'a Path,
    temp: &'a Path,
    outputs: Vec<(String, String)>,
}

impl Runner<'_> {
    /// `value` with each `${{ expression }}` replaced by its value.
    fn evaluate(&self, value: &str) -> String {
        let mut result = value.to_string();
        for expression in expressions(value) {
            // The last value a name was given wins, as later outputs do.
            let lookup = |list: &[(String, String)], name: &str| {
                list.iter()
                    .rev()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
            };
            let found = if let Some(name) = expression.strip_prefix("inputs.") {
                lookup(&self.inputs, name)
            } else if let Some(name) = expression.strip_prefix("steps.scan.outputs.") {
                Some(lookup(&self.outputs, name).unwrap_or_default())
            } else {
                match expression.as_str() {
                    "runner.temp" => Some(self.temp.display().to_string()),
                    "github.action_path" => Some(self.action_path.display().to_string()),
                    "github.token" => Some("a-token-never-used".to_string()),
                    _ => None,
                }
            };
            let found =
                found.unwrap_or_else(|| panic!("the test runner cannot evaluate `{expression}`"));
            // A default may itself be an expression (`${{ github.token }}`).
            let found = self.evaluate(&found);
            result = result.replacen(&format!("${{{{ {expression} }}}}"), &found, 1);
        }
        assert!(!result.contains("${{"), "{value}");
        result
    }

    /// Runs the step named `name` of the action in `workspace`; its exit
    /// code and output. The step's outputs are collected.
    fn run_step(&mut self, action: &Yaml, name: &str, workspace: &Path) -> (i32, String) {
        let step = action["runs"]["steps"]
            .as_vec()
            .unwrap()
            .iter()
            .find(|step| step["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no step `{name}`"));
        let files = tempfile::tempdir_in(self.temp).unwrap();
        let github_output = files.path().join("output");
        let github_path = files.path().join("path");
        std::fs::write(&github_output, "").unwrap();
        let mut command = Command::new("bash");
        command
            .args(["-e", "-c", step["run"].as_str().unwrap()])
            .current_dir(workspace)
            .env("GITHUB_OUTPUT", &github_output)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTIONS", "true")
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_BASE_REF")
            .env_remove("GITHUB_EVENT_PATH")
            .env_remove("GITHUB_TOKEN");
        if let Some(env) = step["env"].as_hash() {
            for (key, value) in env {
                command.env(
                    key.as_str().unwrap(),
                    self.evaluate(value.as_str().unwrap()),
                );
            }
        }
        let output = command.output().unwrap();
        for line in std::fs::read_to_string(&github_output).unwrap().lines() {
            let (key, value) = line.split_once('=').expect("name=value outputs");
            self.outputs.push((key.to_string(), value.to_string()));
        }
        (
            output.status.code().unwrap_or(-1),
            format!("{}{}", text(&output.stdout), text(&output.stderr)),
        )
    }
}

#[test]
fn the_action_scans_with_the_readme_inputs_and_fails_on_findings() {
    let Some(toolbox) = toolbox() else { return };
    let action = action();
    let workflow = readme_workflow();
    let step = &our_steps(&workflow)[0];
    // The README's inputs, then the defaults; the wheel stands in for the
    // build from source that an empty `package` means.
    let mut given: Vec<(String, String)> = step["with"]
        .as_hash()
        .unwrap()
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Yaml::Boolean(flag) => flag.to_string(),
                Yaml::Integer(number) => number.to_string(),
                other => other.as_str().expect("a scalar input").to_string(),
            };
            (key.as_str().unwrap().to_string(), value)
        })
        .collect();
    given.push(("package".to_string(), toolbox.wheel.display().to_string()));
    let inputs_with = |given: &[(String, String)]| -> Vec<(String, String)> {
        let mut values = given.to_vec();
        for (name, input) in action["inputs"].as_hash().unwrap() {
            let name = name.as_str().unwrap();
            if !values.iter().any(|(key, _)| key == name) {
                let default = input["default"].as_str().unwrap_or_default().to_string();
                values.push((name.to_string(), default));
            }
        }
        values
    };
    let dir = tempfile::tempdir_in(&toolbox.scratch).unwrap();
    let workspace = dir.path().join("workspace");
    let temp = dir.path().join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    copy_tree(&workspace_root().join("examples/demo-project"), &workspace);

    let mut runner = Runner {
        inputs: inputs_with(&given),
        action_path: &toolbox.source,
        temp: &temp,
        outputs: Vec::new(),
    };
    let (code, output) = runner.run_step(&action, "Install pathfinder", &workspace);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(&toolbox.commit[..12]), "{output}");
    let (code, output) = runner.run_step(&action, "Scan", &workspace);
    assert_eq!(code, 0, "{output}");
    // No pull request here: the comments are skipped with a notice.
    assert!(
        output.contains("::notice::pathfinder: inline-comments apply to pull requests only"),
        "{output}"
    );
    let exit_code = runner.evaluate("${{ steps.scan.outputs.exit-code }}");
    assert_eq!(
        exit_code, "1",
        "the README fails on medium findings: {output}"
    );
    let sarif_path = workspace.join(runner.evaluate("${{ steps.scan.outputs.sarif-file }}"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let (code, output) = runner.run_step(&action, "Fail on findings", &workspace);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("::error::pathfinder: findings at or above fail-on"),
        "{output}"
    );

    // A switch that is neither true nor false is a usage error; without
    // fail-on the scan passes.
    let with = |changes: &[(&str, Option<&str>)]| {
        let mut values = given.clone();
        for (name, value) in changes {
            values.retain(|(key, _)| key != name);
            values.extend(value.map(|value| ((*name).to_string(), value.to_string())));
        }
        inputs_with(&values)
    };
    runner.inputs = with(&[("inline-comments", Some("yes"))]);
    runner.outputs.clear();
    let (code, output) = runner.run_step(&action, "Scan", &workspace);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("input inline-comments must be true or false"),
        "{output}"
    );
    runner.inputs = with(&[("fail-on", None)]);
    let (code, output) = runner.run_step(&action, "Scan", &workspace);
    assert_eq!(code, 0, "{output}");
    assert_eq!(
        runner.evaluate("${{ steps.scan.outputs.exit-code }}"),
        "0",
        "{output}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
