//! The playground page in a real browser: Debian's `chromium`, driven through
//! `chromedriver`'s W3C WebDriver HTTP API with the small client of
//! `support`. The test types an insecure call, checks the finding's line and
//! attributes, applies the fix, switches rules, opens an example and follows
//! a shared link; it writes a screenshot to `target/playground-screenshot.png`.
//!
//! Without chromium and chromedriver the test fails when `CI=true` and is
//! skipped (with a printed reason) otherwise.

#![allow(
    clippy::print_stderr,
    reason = "a skipped browser test says why on standard error"
)]

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Server, request};

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|folder| folder.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// chromedriver on a free port; killed when dropped.
struct Driver {
    child: Child,
    port: u16,
    session: String,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", &Value::Null);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(chromedriver: &Path, chromium: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut driver = Driver {
            child,
            port,
            session: String::new(),
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            sleep(Duration::from_millis(100));
        }
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:loggingPrefs": { "browser": "ALL" },
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,900",
                        format!("--user-data-dir={}", driver.profile.path().display()),
                    ],
                },
            }},
        });
        let reply = driver.raw("POST", "/session", &capabilities);
        driver.session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"))
            .to_string();
        driver
    }

    fn raw(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let reply = request(
            self.port,
            method,
            path,
            &format!("127.0.0.1:{}", self.port),
            &[("Content-Type", "application/json")],
            &body,
        );
        reply.json()
    }

    /// A command of the session; panics on a WebDriver error.
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let reply = self.raw(method, &format!("/session/{}{path}", self.session), body);
        assert!(
            reply["value"].get("error").is_none(),
            "{method} {path}: {}",
            reply["value"]
        );
        reply["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", &json!({ "url": url }));
    }

    fn run(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            &json!({ "script": script, "args": [] }),
        )
    }

    fn element(&self, selector: &str) -> String {
        let value = self.call(
            "POST",
            "/element",
            &json!({ "using": "css selector", "value": selector }),
        );
        value
            .as_object()
            .and_then(|object| object.values().next())
            .and_then(Value::as_str)
            .expect("an element reference")
            .to_string()
    }

    fn click(&self, selector: &str) {
        let element = self.element(selector);
        self.call("POST", &format!("/element/{element}/click"), &json!({}));
    }

    fn type_into(&self, selector: &str, text: &str) {
        let element = self.element(selector);
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            &json!({ "text": text }),
        );
    }

    /// Waits until `script` (an expression) is truthy; returns its value.
    fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.run(&format!("return {script};"));
            if !(value.is_null()
                || value == json!(false)
                || value == json!(0)
                || value == json!(""))
            {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; browser log: {}; page state: {}",
                self.raw("POST", &format!("/session/{}/se/log", self.session), &json!({"type": "browser"})),
                self.run(
                    "return document.getElementById('status').textContent + ' | ' + document.getElementById('findings').textContent + ' | ' + performance.getEntriesByType('resource').map(e => e.name + ' ' + e.responseStatus).join(', ') + ' | ' + location.href"
                )
            );
            sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, path: &Path) {
        let data = self.call("GET", "/screenshot", &Value::Null);
        let bytes = base64_decode(data.as_str().expect("base64 PNG"));
        std::fs::write(path, bytes).expect("write the screenshot");
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' | b'-' => 62,
            _ => 63,
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut bits = 0u32;
        for (index, c) in chunk.iter().enumerate() {
            bits |= value(*c) << (18 - 6 * index);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The findings panel's items as `RULE@LINE[insecure]` strings.
const FINDINGS: &str = "Array.from(document.querySelectorAll('#findings li.finding-item')).map(li => li.dataset.rule + '@' + li.dataset.line + '[' + li.dataset.insecure + ']').join(' ')";

#[test]
fn the_page_in_a_real_browser() {
    let chromedriver = find_program(&["chromedriver"]);
    let chromium = find_program(&["chromium", "chromium-browser"]);
    let (Some(chromedriver), Some(chromium)) = (chromedriver, chromium) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let server = Server::start();
    let driver = Driver::start(&chromedriver, &chromium);

    // Load the page; the starting code is scanned.
    driver.go(&server.url());
    driver.wait_for("the first scan", "document.body.dataset.scanned");

    // Type an insecure call into an empty editor.
    let textarea = driver.element("#code");
    driver.call("POST", &format!("/element/{textarea}/clear"), &json!({}));
    driver.type_into(
        "#code",
        "from django.http import HttpResponse\n\ndef view(request):\n    response = HttpResponse('hi')\n    response.set_cookie('token', request.user.token)\n    return response\n",
    );
    let findings = driver.wait_for(
        "the typed call's finding",
        &format!("({FINDINGS}).includes('PYTHON-DJANGO-SEC-070@5') && {FINDINGS}"),
    );
    assert_eq!(
        findings,
        json!("PYTHON-DJANGO-SEC-070@5[secure,httponly,samesite]")
    );
    // Underlined in the editor on line 5, and hovering it explains each attribute.
    driver.wait_for(
        "the underline",
        "document.querySelector('#highlight .finding[data-line=\"5\"]')",
    );
    let attribute_rows = driver.run(
        "return Array.from(document.querySelectorAll('#findings li.finding-item .attributes tr')).map(tr => tr.textContent).join(' | ')",
    );
    assert!(
        attribute_rows
            .as_str()
            .is_some_and(|rows| rows.contains("secure") && rows.contains("httponly")),
        "{attribute_rows}"
    );
    let place = driver.run(
        "const r = document.querySelector('#highlight .finding').getBoundingClientRect(); return [Math.round(r.left + 4), Math.round(r.top + r.height / 2)];",
    );
    driver.call(
        "POST",
        "/actions",
        &json!({ "actions": [{ "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
            "actions": [{ "type": "pointerMove", "duration": 0, "origin": "viewport", "x": place[0], "y": place[1] }] }] }),
    );
    let tooltip = driver.wait_for(
        "the hover details",
        "!document.getElementById('tooltip').hidden && document.getElementById('tooltip').textContent",
    );
    assert!(
        tooltip
            .as_str()
            .is_some_and(|text| text.contains("PYTHON-DJANGO-SEC-070") && text.contains("httponly")),
        "{tooltip}"
    );

    // The fix as a diff; apply it and the finding goes.
    let diff = driver.run("return document.querySelector('#findings .diff').textContent");
    assert!(
        diff.as_str()
            .is_some_and(|text| text.contains("+ ") && text.contains("secure=True")),
        "{diff}"
    );
    driver.click("#findings button.apply");
    driver.wait_for(
        "the fixed code to be clean",
        &format!("document.getElementById('code').value.includes('secure=True') && ({FINDINGS}) === '' && document.querySelector('#findings .empty')"),
    );

    // Open an example: the Django vulnerable example, its rule picked, its docs shown.
    driver.click("#examples option[value='PYTHON-DJANGO-SEC-070:vulnerable']");
    let findings = driver.wait_for(
        "the example's finding",
        &format!("document.getElementById('rules').value === 'python/PYTHON-DJANGO-SEC-070' && {FINDINGS}"),
    );
    assert!(
        findings
            .as_str()
            .is_some_and(|text| text.starts_with("PYTHON-DJANGO-SEC-070@")),
        "{findings}"
    );
    driver.wait_for(
        "the rule's docs with the compliance map",
        "document.getElementById('docs').dataset.rule === 'PYTHON-DJANGO-SEC-070' && document.getElementById('docs').textContent.includes('Compliance')",
    );
    let screenshot =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/playground-screenshot.png");
    driver.screenshot(&screenshot);
    assert!(std::fs::metadata(&screenshot).is_ok_and(|meta| meta.len() > 10_000));

    // Switch rules: the Flask bundle does not report a Django call.
    driver.click("#rules option[value='python/flask']");
    driver.wait_for(
        "no finding under the Flask rules",
        &format!(
            "document.getElementById('status').textContent === '0 findings' && ({FINDINGS}) === ''"
        ),
    );
    driver.click("#rules option[value='']");
    driver.wait_for(
        "the finding again under every rule",
        &format!("({FINDINGS}).includes('PYTHON-DJANGO-SEC-070@')"),
    );

    // Follow the shared link in a fresh page: same code, same finding.
    let link = driver.run("return location.href");
    let link = link.as_str().expect("the page's address").to_string();
    assert!(link.contains('#') && link.contains("code="), "{link}");
    let source = driver.run("return document.getElementById('code').value");
    driver.go("about:blank");
    driver.go(&link);
    driver.wait_for(
        "the shared link's finding",
        &format!(
            "document.body.dataset.scanned && ({FINDINGS}).includes('PYTHON-DJANGO-SEC-070@')"
        ),
    );
    assert_eq!(
        driver.run("return document.getElementById('code').value"),
        source
    );

    // The page asked nothing of any other host.
    let hosts = driver.run(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host).filter(h => h !== location.host)",
    );
    assert_eq!(hosts, json!([]));
}
