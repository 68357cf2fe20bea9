//! `pathfinder playground` through the binary: the server is started on a
//! free port and its API is called over a plain TCP connection, as the page
//! calls it. The scan answer must equal `pathfinder scan --output json` on
//! the same file written to disk.

mod support;

use std::process::Command;

use serde_json::{Value, json};
use support::{Server, post_scan, request};

const INSECURE_VIEW: &str = "from django.http import HttpResponse\n\
\n\
def view(request):\n\
    response = HttpResponse(\"ok\")\n\
    response.set_cookie(\"sessionid\", request.user.token, secure=False)\n\
    return response\n";

/// `pathfinder scan --output json` on `source` saved as `name` in a temporary folder.
fn cli_scan(name: &str, source: &str, ruleset: &[&str]) -> Value {
    let folder = tempfile::tempdir().expect("temporary folder");
    std::fs::write(folder.path().join(name), source).expect("write the file");
    let mut command = Command::new(env!("CARGO_BIN_EXE_pathfinder"));
    command
        .args(["scan", "--output", "json", "--project"])
        .arg(folder.path());
    for rule in ruleset {
        command.args(["--ruleset", rule]);
    }
    let output = command.output().expect("run pathfinder scan");
    serde_json::from_slice(&output.stdout).expect("JSON from scan")
}

#[test]
fn scan_answers_what_the_command_line_reports() {
    let server = Server::start();
    for ruleset in [
        vec!["python/PYTHON-DJANGO-SEC-070"],
        vec![],
        vec!["python/flask"],
    ] {
        let reply = post_scan(
            &server,
            &json!({ "source": INSECURE_VIEW, "path": "views.py", "ruleset": ruleset }),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.header("content-type"), Some("application/json"));
        let api = reply.json();
        assert_eq!(
            api,
            cli_scan("views.py", INSECURE_VIEW, &ruleset),
            "{ruleset:?}"
        );
        let expected = usize::from(ruleset != ["python/flask"]);
        assert_eq!(api["findings"].as_array().unwrap().len(), expected);
    }
    let api = post_scan(
        &server,
        &json!({ "source": INSECURE_VIEW, "ruleset": ["python/PYTHON-DJANGO-SEC-070"] }),
    )
    .json();
    let finding = &api["findings"][0];
    assert_eq!(finding["rule_id"], "PYTHON-DJANGO-SEC-070");
    assert_eq!(finding["path"], "views.py");
    assert_eq!(finding["line"], 5);
    assert_eq!(finding["attributes"]["secure"]["state"], "false");
    assert!(
        finding["insecure"]
            .as_array()
            .unwrap()
            .contains(&json!("secure"))
    );
    assert!(
        finding["fix"]["edits"]
            .as_array()
            .is_some_and(|edits| !edits.is_empty())
    );
}

#[test]
fn unparsable_source_gives_the_same_notice_as_the_command_line() {
    let server = Server::start();
    let source = "def broken(:\n    response.set_cookie('a', 'b')\n";
    let api = post_scan(&server, &json!({ "source": source })).json();
    assert_eq!(api, cli_scan("views.py", source, &[]));
    assert_eq!(api["notices"].as_array().unwrap().len(), 1, "{api}");
}

#[test]
fn rules_and_their_documentation() {
    let server = Server::start();
    let host = server.host();
    let list = request(server.port, "GET", "/api/rules", &host, &[], b"").json();
    let ids: Vec<&str> = list["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"PYTHON-DJANGO-SEC-070"), "{ids:?}");
    assert!(
        list["bundles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|bundle| bundle["name"] == "python/django")
    );
    for id in ids {
        let rule = request(
            server.port,
            "GET",
            &format!("/api/rules/{id}"),
            &host,
            &[],
            b"",
        );
        assert_eq!(rule.status, 200);
        let rule = rule.json();
        assert_eq!(rule["id"], id);
        assert!(
            rule["docs"]
                .as_str()
                .unwrap()
                .contains("## Why is this bad?")
        );
    }
    let missing = request(server.port, "GET", "/api/rules/NOPE-1", &host, &[], b"");
    assert_eq!(missing.status, 404);
}

/// Every rule's examples: the vulnerable one is reported by the rule, the
/// safe one is not. The Django settings rules judge a whole project (the
/// settings module a `wsgi.py` deploys), which one file cannot show; their
/// examples are only checked to be safe.
#[test]
fn examples_show_what_they_say() {
    let server = Server::start();
    let host = server.host();
    let list = request(server.port, "GET", "/api/rules", &host, &[], b"").json();
    for rule in list["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let docs = request(
            server.port,
            "GET",
            &format!("/api/rules/{id}"),
            &host,
            &[],
            b"",
        )
        .json();
        let examples = docs["examples"].as_array().unwrap();
        assert_eq!(
            examples.len(),
            2,
            "{id} has a vulnerable and a safe example"
        );
        for example in examples {
            let scan = post_scan(
                &server,
                &json!({ "source": example["source"], "path": example["path"], "ruleset": [id] }),
            )
            .json();
            let reported = scan["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|finding| finding["rule_id"] == id);
            let whole_project = docs["whole_project"] == true;
            assert_eq!(
                reported,
                example["kind"] == "vulnerable" && !whole_project,
                "{id} {}: {scan}",
                example["kind"]
            );
        }
    }
}

#[test]
fn refuses_what_it_must() {
    let server = Server::start();
    let host = server.host();
    // Too large: refused before the scan.
    let big = json!({ "source": "x = 1\n".repeat(200_000) }).to_string();
    let reply = request(
        server.port,
        "POST",
        "/api/scan",
        &host,
        &[("Content-Type", "application/json")],
        big.as_bytes(),
    );
    assert_eq!(reply.status, 413);
    // Malformed JSON: a message says why.
    let reply = request(
        server.port,
        "POST",
        "/api/scan",
        &host,
        &[("Content-Type", "application/json")],
        b"{\"source\": ",
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["error"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );
    // A path outside the virtual project.
    let reply = post_scan(&server, &json!({ "source": "", "path": "../etc/x.py" }));
    assert_eq!(reply.status, 400);
    // DNS rebinding: another host name pointed at 127.0.0.1.
    let reply = request(server.port, "GET", "/", "attacker.example", &[], b"");
    assert_eq!(reply.status, 421);
    let reply = request(
        server.port,
        "GET",
        "/api/rules",
        &format!("attacker.example:{}", server.port),
        &[],
        b"",
    );
    assert_eq!(reply.status, 421);
    // localhost is our own name.
    let reply = request(
        server.port,
        "GET",
        "/api/rules",
        &format!("localhost:{}", server.port),
        &[],
        b"",
    );
    assert_eq!(reply.status, 200);
}

#[test]
fn every_response_carries_a_restrictive_policy() {
    let server = Server::start();
    let host = server.host();
    let page = request(server.port, "GET", "/", &host, &[], b"");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<script src=\"/app.js\""), "{html}");
    assert!(!html.contains("<script>"), "no inline script");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no other host"
    );
    for (path, status) in [
        ("/", 200),
        ("/app.js", 200),
        ("/app.css", 200),
        ("/nope", 404),
        ("/api/rules", 200),
    ] {
        let reply = request(server.port, "GET", path, &host, &[], b"");
        assert_eq!(reply.status, status, "{path}");
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert!(policy.contains("connect-src 'self'"), "{path}: {policy}");
        assert!(
            !policy.contains("unsafe-inline") && !policy.contains('*'),
            "{path}: {policy}"
        );
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let script = request(server.port, "GET", "/app.js", &host, &[], b"").text();
    assert!(
        !script.contains("http://") && !script.contains("https://"),
        "no other host"
    );
}
