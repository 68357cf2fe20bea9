//! `pathfinder server`, driven as an editor drives it: the built binary,
//! JSON-RPC over its standard input and output, documents in a temporary
//! workspace on disk.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

const INSECURE: &str = "from django.http import HttpResponse\n\n\ndef view(request):\n    response = HttpResponse(\"ok\")\n    response.set_cookie(\"sessionid\", \"v\")\n    return response\n";

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages read while waiting for another one.
    seen: Vec<Value>,
    next_id: i64,
}

#[allow(
    clippy::needless_pass_by_value,
    reason = "the call sites pass `json!` literals"
)]
impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pathfinder server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length from the server")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn frame(message: &Value) -> Vec<u8> {
        let body = message.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn notify(&mut self, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.write_raw(&Client::frame(&message));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let message =
            json!({ "jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params });
        self.write_raw(&Client::frame(&message));
        self.next_id
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to {id}"), |message| {
            message["id"] == json!(id) && message.get("method").is_none()
        })
    }

    /// The first message (already seen or still to come) that `matches`.
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.seen.iter().position(&matches) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            match self
                .messages
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(message) if matches(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {WAIT:?}; seen: {:#?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "the server closed its output before {what}; seen: {:#?}",
                        self.seen
                    )
                }
            }
        }
    }

    /// The next diagnostics published for `uri` with `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics for {uri} v{version}"), |message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == json!(version)
        });
        message["params"]["diagnostics"]
            .as_array()
            .expect("a list of diagnostics")
            .clone()
    }

    fn initialize(&mut self, root: &Path, options: Value) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "capabilities": {},
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, path: &Path, language: &str, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
        uri
    }

    fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// Ends the session politely and returns the exit code.
    fn finish(mut self) -> i32 {
        let shutdown = self.request("shutdown", Value::Null);
        assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().expect("an exit code");
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    use std::fmt::Write as _;
    let mut text = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            text.push(byte as char);
        } else {
            let _ = write!(text, "%{byte:02X}");
        }
    }
    text
}

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().canonicalize().expect("canonical");
    (dir, root)
}

/// Applies LSP text edits (zero-based lines, UTF-16 columns; the texts here
/// are ASCII) to `text`, as an editor would.
fn apply(text: &str, edits: &[Value]) -> String {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        line_starts[line] + position["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Back to front, keeping the given order of edits at the same place.
    edits.reverse();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri]
        .as_array()
        .expect("edits for the document")
        .clone()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_scripted_session() {
    let (_dir, root) = workspace();
    let path = root.join("views.py");
    std::fs::write(&path, "").unwrap();
    let mut client = Client::start();
    let init = client.initialize(&root, Value::Null);
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true, "{init}");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "{init}");

    // The findings of the in-memory text (the file on disk is empty).
    let uri = client.open(&path, "python", INSECURE);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diagnostics),
        ["PYTHON-DJANGO-SEC-070"],
        "{diagnostics:#?}"
    );
    let finding = &diagnostics[0];
    assert_eq!(finding["source"], "pathfinder");
    assert_eq!(
        finding["range"]["start"],
        json!({ "line": 5, "character": 4 })
    );
    // High severity is a SARIF error, an LSP Error (1).
    assert_eq!(finding["severity"], 1, "{finding}");
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("secure: missing") && message.contains("httponly: missing"),
        "{message}"
    );

    // An incremental edit that sets every attribute leaves nothing to report.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 5, "character": 40 }, "end": { "line": 5, "character": 40 } },
                "text": ", secure=True, httponly=True, samesite=\"Lax\"",
            }],
        }),
    );
    assert_eq!(client.diagnostics(&uri, 2), Vec::<Value>::new());

    // Back to the insecure text: the finding returns.
    client.change_full(&uri, 3, INSECURE);
    assert_eq!(
        codes(&client.diagnostics(&uri, 3)),
        ["PYTHON-DJANGO-SEC-070"]
    );

    // Hover on the finding shows the rule's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 5, "character": 15 } }),
    );
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover text");
    let docs = pathfinder_docs("PYTHON-DJANGO-SEC-070");
    assert!(text.contains("PYTHON-DJANGO-SEC-070"), "{text}");
    // The documentation body, as `pathfinder explain` prints it.
    let body = docs
        .lines()
        .skip_while(|line| !line.starts_with("## "))
        .take(3)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        body.len() > 20 && text.contains(&body),
        "{body:?} not in {text}"
    );
    // Nowhere near a finding: no hover.
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(nothing["result"], Value::Null);

    // Code actions on the finding: the fix (preferred), the suppression, fix all.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 5, "character": 10 }, "end": { "line": 5, "character": 10 } },
            "context": { "diagnostics": [] },
        }),
    );
    let actions = actions["result"]
        .as_array()
        .expect("a list of actions")
        .clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|action| action["title"].as_str().unwrap())
        .collect();
    let fix = actions
        .iter()
        .find(|action| action["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred fix among {titles:?}"));
    assert_eq!(fix["kind"], "quickfix");
    let suppress = actions
        .iter()
        .find(|action| action["title"].as_str().unwrap().starts_with("Suppress"))
        .unwrap_or_else(|| panic!("a suppression among {titles:?}"));
    let fix_all = actions
        .iter()
        .find(|action| action["title"].as_str().unwrap().starts_with("Fix all"))
        .unwrap_or_else(|| panic!("fix all among {titles:?}"));

    // Each action, applied as an editor applies it, clears the finding.
    let fixed = apply(INSECURE, &action_edits(fix, &uri));
    client.change_full(&uri, 4, &fixed);
    assert_eq!(client.diagnostics(&uri, 4), Vec::<Value>::new(), "{fixed}");
    let suppressed = apply(INSECURE, &action_edits(suppress, &uri));
    assert!(
        suppressed
            .contains("    # pathfinder: ignore[PYTHON-DJANGO-SEC-070]\n    response.set_cookie"),
        "{suppressed}"
    );
    client.change_full(&uri, 5, &suppressed);
    assert_eq!(
        client.diagnostics(&uri, 5),
        Vec::<Value>::new(),
        "{suppressed}"
    );
    let all_fixed = apply(INSECURE, &action_edits(fix_all, &uri));
    client.change_full(&uri, 6, &all_fixed);
    assert_eq!(
        client.diagnostics(&uri, 6),
        Vec::<Value>::new(),
        "{all_fixed}"
    );

    // Closing clears the document's diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let cleared = client.wait_for("cleared diagnostics", |message| {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"] == uri
            && message["params"]["diagnostics"] == json!([])
            && message["params"].get("version").is_none_or(Value::is_null)
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    assert_eq!(client.finish(), 0);
}

/// The rule's documentation as `pathfinder explain` prints it.
fn pathfinder_docs(rule: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pathfinder"))
        .args(["explain", rule])
        .output()
        .expect("run pathfinder explain");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn bad_messages_unknown_methods_and_other_languages() {
    let (_dir, root) = workspace();
    let mut client = Client::start();
    // Before initialize, requests are refused.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.initialize(&root, Value::Null);

    // Not JSON, then JSON that is no JSON-RPC message: each gets an error
    // with a null id, and the session goes on.
    client.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = client.wait_for("a parse error", |message| {
        message["id"].is_null() && message["error"]["code"] == -32700
    });
    assert!(parse_error["error"]["message"].is_string());
    client.write_raw(&Client::frame(&json!({ "jsonrpc": "2.0", "id": 99 })));
    client.wait_for("an invalid request error", |message| {
        message["id"].is_null() && message["error"]["code"] == -32600
    });

    // An unknown request is answered; an unknown notification is ignored.
    let unknown = client.request("pathfinder/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    client.notify("pathfinder/nothing", json!({}));

    // A document that is not Python is never checked.
    let notes = client.open(&root.join("notes.txt"), "plaintext", INSECURE);
    let views = client.open(&root.join("views.py"), "python", INSECURE);
    assert_eq!(
        codes(&client.diagnostics(&views, 1)),
        ["PYTHON-DJANGO-SEC-070"]
    );
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": notes }, "position": { "line": 5, "character": 15 } }),
    );
    assert_eq!(hover["result"], Value::Null, "{hover}");
    assert!(
        !client
            .seen
            .iter()
            .any(|message| message["params"]["uri"] == notes),
        "{:#?}",
        client.seen
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn rapid_edits_are_debounced_and_cancellation_is_honoured() {
    let (_dir, root) = workspace();
    let mut client = Client::start();
    client.initialize(&root, Value::Null);
    let uri = client.open(&root.join("views.py"), "python", INSECURE);
    client.diagnostics(&uri, 1);

    // 200 edits in one burst: far fewer checks, and the last one is of the
    // last text (which is clean).
    let clean = INSECURE.replace(
        "\"v\")",
        "\"v\", secure=True, httponly=True, samesite=\"Lax\")",
    );
    let mut burst = Vec::new();
    for version in 2..=201 {
        let text = if version == 201 { &clean } else { INSECURE };
        burst.extend(Client::frame(&json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": { "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] },
        })));
    }
    client.write_raw(&burst);
    assert_eq!(client.diagnostics(&uri, 201), Vec::<Value>::new());
    let published = client
        .seen
        .iter()
        .filter(|message| message["method"] == "textDocument/publishDiagnostics")
        .count();
    assert!(published < 20, "{published} checks for 200 edits");

    // A request waiting for a pending check, cancelled in the same burst.
    client.next_id += 1;
    let id = client.next_id;
    let mut burst = Client::frame(&json!({
        "jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": { "textDocument": { "uri": uri, "version": 202 }, "contentChanges": [{ "text": INSECURE }] },
    }));
    burst.extend(Client::frame(&json!({
        "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": uri }, "position": { "line": 5, "character": 15 } },
    })));
    burst.extend(Client::frame(&json!({
        "jsonrpc": "2.0", "method": "$/cancelRequest", "params": { "id": id },
    })));
    client.write_raw(&burst);
    let cancelled = client.response(id);
    assert_eq!(cancelled["error"]["code"], -32800, "{cancelled}");
    assert_eq!(
        codes(&client.diagnostics(&uri, 202)),
        ["PYTHON-DJANGO-SEC-070"]
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn huge_documents_are_declined_and_the_server_goes_on() {
    let (_dir, root) = workspace();
    let mut client = Client::start();
    client.initialize(&root, Value::Null);
    let huge = "x = 1\n".repeat(3_000_000);
    let big = client.open(&root.join("big.py"), "python", &huge);
    assert_eq!(client.diagnostics(&big, 1), Vec::<Value>::new());
    let warning = client.wait_for("a warning", |message| {
        message["method"] == "window/showMessage"
    });
    assert!(
        warning["params"]["message"]
            .as_str()
            .unwrap()
            .contains("pathfinder scan"),
        "{warning}"
    );
    let views = client.open(&root.join("views.py"), "python", INSECURE);
    assert_eq!(
        codes(&client.diagnostics(&views, 1)),
        ["PYTHON-DJANGO-SEC-070"]
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn the_server_exits_when_its_input_closes_or_on_exit_without_shutdown() {
    let (_dir, root) = workspace();
    let mut client = Client::start();
    client.initialize(&root, Value::Null);
    client.stdin = None;
    assert_eq!(client.exit_code(), 1);

    let mut client = Client::start();
    client.initialize(&root, Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), 1);
}

#[test]
fn configuration_is_read_reloaded_and_overridden() {
    let (_dir, root) = workspace();
    // A ruleset without the Django cookie rule.
    let config = root.join(".pathfinder.toml");
    std::fs::write(&config, "ruleset = ['python/flask']\n").unwrap();
    let mut client = Client::start();
    client.initialize(&root, Value::Null);
    let views = client.open(&root.join("views.py"), "python", INSECURE);
    assert_eq!(client.diagnostics(&views, 1), Vec::<Value>::new());

    // The file changes; the editor says so; the document is checked again.
    std::fs::write(&config, "ruleset = ['python/django']\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }),
    );
    assert_eq!(
        codes(&client.diagnostics(&views, 1)),
        ["PYTHON-DJANGO-SEC-070"]
    );

    // A broken file is reported, and the defaults are used meanwhile.
    std::fs::write(&config, "rulesets = ['python/django']\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }),
    );
    let error = client.wait_for("a configuration error", |message| {
        message["method"] == "window/showMessage"
    });
    assert!(
        error["params"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown key `rulesets`"),
        "{error}"
    );
    assert_eq!(client.finish(), 0);

    // initializationOptions replace the configured ruleset.
    std::fs::write(&config, "ruleset = ['python/django']\n").unwrap();
    let mut client = Client::start();
    client.initialize(&root, json!({ "ruleset": ["python/flask"] }));
    let views = client.open(&root.join("views.py"), "python", INSECURE);
    assert_eq!(client.diagnostics(&views, 1), Vec::<Value>::new());
    assert_eq!(client.finish(), 0);
}

/// Neovim's built-in LSP client, headless: it starts the server for a
/// Python file with an insecure call and writes the diagnostics it got.
#[test]
fn neovim_receives_the_diagnostics() {
    let found = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true and `nvim` is not installed (.ci/run installs Debian's neovim)"
        );
        #[allow(clippy::print_stdout, reason = "says why the test is skipped")]
        {
            println!("skipped: `nvim` is not installed (apt-get install neovim)");
        }
        return;
    }
    let (_dir, root) = workspace();
    let path = root.join("views.py");
    std::fs::write(&path, INSECURE).unwrap();
    let out = root.join("diagnostics.txt");
    let init = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/init.lua");
    let status = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .arg(&path)
        .current_dir(&root)
        .env("PATHFINDER_BIN", env!("CARGO_BIN_EXE_pathfinder"))
        .env("PATHFINDER_ROOT", &root)
        .env("PATHFINDER_NVIM_OUT", &out)
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_STATE_HOME", root.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("run nvim");
    let printed = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim failed: {status}; {printed}");
    // Line 6, column 5, severity 1 (Error), the rule id, the reasons.
    assert!(
        printed.starts_with("6:5:1:PYTHON-DJANGO-SEC-070:Cookie 'sessionid'"),
        "{printed}"
    );
    assert!(printed.contains("secure: missing"), "{printed}");
}

#[test]
fn project_level_findings_follow_the_settings() {
    let (_dir, root) = workspace();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-project");
    std::fs::create_dir_all(root.join("demo")).unwrap();
    for file in [
        "demo/__init__.py",
        "demo/settings.py",
        "demo/wsgi.py",
        "manage.py",
    ] {
        std::fs::copy(demo.join(file), root.join(file)).unwrap();
    }
    let settings_text = std::fs::read_to_string(root.join("demo/settings.py")).unwrap();
    let mut client = Client::start();
    client.initialize(&root, Value::Null);
    let settings = client.open(&root.join("demo/settings.py"), "python", &settings_text);
    assert_eq!(
        codes(&client.diagnostics(&settings, 1)),
        ["PYTHON-DJANGO-SEC-071"]
    );

    // The unsaved settings module is what counts.
    let secure = format!("{settings_text}SESSION_COOKIE_SECURE = True\n");
    client.change_full(&settings, 2, &secure);
    assert_eq!(client.diagnostics(&settings, 2), Vec::<Value>::new());
    client.change_full(&settings, 3, &settings_text);
    assert_eq!(
        codes(&client.diagnostics(&settings, 3)),
        ["PYTHON-DJANGO-SEC-071"]
    );

    // A change to wsgi.py on disk checks the open documents again.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&root.join("demo/wsgi.py")), "type": 2 }] }),
    );
    assert_eq!(
        codes(&client.diagnostics(&settings, 3)),
        ["PYTHON-DJANGO-SEC-071"]
    );
    assert_eq!(client.finish(), 0);
}
