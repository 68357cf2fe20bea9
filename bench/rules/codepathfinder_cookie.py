# One-rule file for the original Code Pathfinder (codepathfinder 2.1.1 wheel),
# used by bench/run.sh as a speed reference. It reports every call whose name
# ends in `.set_cookie`, with no check of the cookie attributes: the cheapest
# rule this engine can run for the job pathfinder does.
from codepathfinder import calls
from codepathfinder.python_decorators import python_rule


@python_rule(
    id="BENCH-COOKIE-001",
    name="Cookie write",
    severity="MEDIUM",
    category="security",
    cwe="CWE-614",
    message="set_cookie() call (benchmark rule: every cookie write)",
)
def bench_cookie_write():
    return calls("*.set_cookie")
