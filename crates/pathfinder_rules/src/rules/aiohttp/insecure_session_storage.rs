//! PYTHON-AIOHTTP-SEC-002: an aiohttp_session storage
//! (`EncryptedCookieStorage`, `NaClCookieStorage`, `RedisStorage`,
//! `MemcachedStorage`, `SimpleCookieStorage`) configured so that the session
//! cookie lacks `Secure`, `HttpOnly` or `SameSite`.
//!
//! aiohttp_session passes a storage's cookie options to aiohttp's
//! `set_cookie`, where `secure=None` and `samesite=None` (its defaults) write
//! nothing. Signatures and defaults are data in
//! [`aiohttp::SESSION_STORAGES`]; the binding is [`crate::configured`]'s. The
//! documentation is `insecure_session_storage.md` beside this file.

use pathfinder_diagnostics::Severity;
use pathfinder_python::ast::ExprCall;

use crate::checker::Checker;
use crate::configured;
use crate::frameworks::aiohttp;
use crate::registry::{Rule, RuleStatus};

pub(crate) static RULE: Rule = Rule {
    id: "PYTHON-AIOHTTP-SEC-002",
    name: "aiohttp-session-insecure-cookie-storage",
    title: "aiohttp_session storage writes its session cookie without Secure or SameSite",
    severity: Severity::High,
    status: RuleStatus::Preview,
    since: "0.3.0",
    cwe: &["CWE-614", "CWE-1004", "CWE-1275"],
    owasp: &["A05:2021", "A07:2021"],
    tags: &[
        "python",
        "aiohttp",
        "aiohttp-session",
        "cookies",
        "session",
        "security-misconfiguration",
    ],
    bundles: &["python/aiohttp", "python/cookies"],
    // The storages are only recognised when imported from aiohttp_session,
    // whose name is less common than `RedisStorage`.
    needles: &["aiohttp_session"],
    methods: &[
        "EncryptedCookieStorage",
        "NaClCookieStorage",
        "RedisStorage",
        "MemcachedStorage",
        "SimpleCookieStorage",
    ],
    docs: include_str!("insecure_session_storage.md"),
    framework: None,
    call_hook: Some(check_call),
    stmt_hook: None,
    expr_hook: None,
    project_hook: None,
};

fn check_call(checker: &mut Checker<'_>, call: &ExprCall, _name: &str) {
    configured::check_call(checker, call, &RULE, aiohttp::SESSION_STORAGES);
}
