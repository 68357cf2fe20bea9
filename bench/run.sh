#!/usr/bin/env bash
# Benchmark pathfinder against the tools people would use instead (issue 6).
#
#   bash bench/run.sh [--corpus DIR] [--runs N] [--peers-venv DIR] [--scaling]
#                     [--skip-slow] [--slow-runs N] [--cp-timeout SECONDS]
#                     [--only-peers] [--no-build] [--keep]
#
# From a fresh clone, with no option, it:
#   1. builds the corpus with bench/pypi-corpus.sh (ten pinned PyPI sdists,
#      ~9,300 files, ~2.2M lines) if DIR does not exist yet;
#   2. installs the peers (semgrep, bandit, ruff, Code Pathfinder) pinned into a
#      throwaway virtualenv with bench/peers-setup.sh if they are not there yet;
#   3. builds pathfinder in release (cargo build --release -p pathfinder);
#   4. reads every file of the corpus once, so that all tools see a warm cache;
#   5. runs each tool on the same tree, N times (bandit and Code Pathfinder:
#      --slow-runs times), measuring each run with /usr/bin/time;
#   6. prints the machine, the tool versions and one Markdown table of medians
#      on stdout (progress goes to stderr, so `> results.md` keeps the table).
# With --scaling it also scans 1x, 2x and 4x copies of the corpus with
# pathfinder and prints a second table. See bench/README.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pathfinder-bench

CORPUS=$CACHE/corpus
VENV=$CACHE/peers
RUNS=5
SLOW_RUNS=1
CP_TIMEOUT=900
SCALING=0
SKIP_SLOW=0
ONLY_PEERS=0
BUILD=1
KEEP=0

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
  cat <<EOF
Options:
  --corpus DIR        corpus to scan; built there if missing (default: $CACHE/corpus)
  --runs N            runs per tool, medians reported (default: 5)
  --peers-venv DIR    virtualenv of the peers; created if missing (default: $CACHE/peers)
  --scaling           also scan 1x, 2x, 4x copies of the corpus (DIR-x2, DIR-x4, hard links)
  --skip-slow         skip semgrep, bandit and Code Pathfinder
  --slow-runs N       runs of bandit and Code Pathfinder (default: 1; they take minutes)
  --cp-timeout S      time limit of one Code Pathfinder run, in seconds (default: 900)
  --only-peers        do not build or run pathfinder (ratios are then to rg)
  --no-build          use the existing target/release/pathfinder, do not run cargo
  --keep              keep the tools' raw outputs (the folder is printed at the end)
EOF
}

trap 'echo "bench: error: line $LINENO failed: $BASH_COMMAND" >&2' ERR

die() { echo "bench: error: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

need_arg() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"; }
while [ $# -gt 0 ]; do
  case $1 in
    --corpus) need_arg "$@"; CORPUS=$2; shift 2 ;;
    --runs) need_arg "$@"; RUNS=$2; shift 2 ;;
    --peers-venv) need_arg "$@"; VENV=$2; shift 2 ;;
    --slow-runs) need_arg "$@"; SLOW_RUNS=$2; shift 2 ;;
    --cp-timeout) need_arg "$@"; CP_TIMEOUT=$2; shift 2 ;;
    --scaling) SCALING=1; shift ;;
    --skip-slow) SKIP_SLOW=1; shift ;;
    --only-peers) ONLY_PEERS=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for n in "$RUNS" "$SLOW_RUNS" "$CP_TIMEOUT"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive whole number"
done
if [ "$ONLY_PEERS" = 1 ] && [ "$SCALING" = 1 ]; then
  die "--scaling measures pathfinder; it cannot go with --only-peers"
fi

# ---------------------------------------------------------------- prerequisites
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing GNU time (/usr/bin/time) with apt-get"
    apt-get update -qq >&2 && apt-get install -y -qq time >&2
  fi
  [ -x /usr/bin/time ] || die "GNU time is needed at /usr/bin/time (Debian/Ubuntu: apt-get install time)"
fi
command -v python3 >/dev/null 2>&1 || die "python3 is needed (to build the corpus and read the tools' JSON)"

# ---------------------------------------------------------------- corpus
if [ ! -d "$CORPUS" ]; then
  log "building the corpus in $CORPUS (pinned PyPI sdists, a few minutes)"
  mkdir -p "$(dirname "$CORPUS")"
  rm -rf "$CORPUS.partial"
  bash "$BENCH_DIR/pypi-corpus.sh" "$CORPUS.partial" >&2
  mv "$CORPUS.partial" "$CORPUS"
fi
CORPUS=$(cd "$CORPUS" && pwd)

# ---------------------------------------------------------------- peers
peers_ok=1
for exe in ruff semgrep bandit pathfinder; do
  [ -x "$VENV/bin/$exe" ] || peers_ok=0
done
if [ "$peers_ok" = 0 ]; then
  log "installing the peers into $VENV (pinned, from PyPI)"
  bash "$BENCH_DIR/peers-setup.sh" "$VENV" >&2
fi
VENV=$(cd "$VENV" && pwd)
command -v rg >/dev/null 2>&1 || die "ripgrep (rg) is needed (Debian/Ubuntu: apt-get install ripgrep)"

# ---------------------------------------------------------------- pathfinder
PF=${CARGO_TARGET_DIR:-$REPO/target}/release/pathfinder
if [ "$ONLY_PEERS" = 0 ]; then
  if [ "$BUILD" = 1 ]; then
    command -v cargo >/dev/null 2>&1 || die "cargo is needed to build pathfinder (or use --only-peers)"
    log "building pathfinder (cargo build --release -p pathfinder)"
    (cd "$REPO" && cargo build --release -p pathfinder >&2) ||
      die "cargo build --release -p pathfinder failed; the peers alone can be measured with --only-peers"
  fi
  [ -x "$PF" ] || die "no pathfinder binary at $PF (build it, or use --only-peers)"
  help=$("$PF" scan --help 2>&1) || die "'$PF scan --help' failed:
$help"
  for flag in --project --output --ruleset --no-progress --verbose; do
    grep -q -e "$flag" <<<"$help" || die "'pathfinder scan' has no $flag flag, which the benchmark needs ('pathfinder scan --help' does not list it)"
  done
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pathfinder-bench.XXXXXX")
if [ "$KEEP" = 0 ]; then trap 'rm -rf "$TMP"' EXIT; fi
if [ "$ONLY_PEERS" = 0 ]; then
  # Run a copy: a rebuild during the run (it lasts ~20 minutes) must not mix
  # two versions of pathfinder in one report.
  cp "$PF" "$TMP/pathfinder"
  PF=$TMP/pathfinder
fi

# ---------------------------------------------------------------- helpers
# count_py DIR -> "files lines" of the *.py files under DIR
count_py() {
  local files lines
  files=$(find "$1" -type f -name '*.py' | wc -l)
  lines=$(find "$1" -type f -name '*.py' -print0 | xargs -0 cat | wc -l)
  echo "$files $lines"
}

# warm DIR: read every file once, so that no tool pays for the disk
warm() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

median() {
  printf '%s\n' "$@" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# fmt_s SECONDS: 3 significant-ish digits
fmt_s() { awk -v x="$1" 'BEGIN { if (x < 1) printf "%.3f", x; else if (x < 100) printf "%.2f", x; else printf "%.1f", x }'; }
fmt_cpu() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; } # GNU time: 10 ms resolution
fmt_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
fmt_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; if (r < 10) printf "%.2f", r; else printf "%.0f", r }'; }

# measure KEY RUNS OK_CODES TIMEOUT CMD...
#   Runs CMD RUNS times with stdout in $TMP/KEY.out, stderr in $TMP/KEY.err,
#   under /usr/bin/time (and `timeout` when TIMEOUT > 0). OK_CODES is a
#   space-separated list of exit codes that mean success. Sets M_WALL, M_CPU,
#   M_RSS (medians; seconds, seconds, KiB) and M_TIMEOUT=1 if a run hit the limit.
measure() {
  local key=$1 runs=$2 ok=$3 limit=$4
  shift 4
  local walls=() cpus=() rsss=() i rc line wall user sys cpu rss t0 t1
  M_TIMEOUT=0
  for ((i = 1; i <= runs; i++)); do
    rc=0
    t0=${EPOCHREALTIME/,/.}
    if [ "$limit" -gt 0 ]; then
      /usr/bin/time -o "$TMP/$key.time" -f '%e %U %S %M' \
        timeout -k 10 "$limit" "$@" >"$TMP/$key.out" 2>"$TMP/$key.err" || rc=$?
    else
      /usr/bin/time -o "$TMP/$key.time" -f '%e %U %S %M' \
        "$@" >"$TMP/$key.out" 2>"$TMP/$key.err" || rc=$?
    fi
    t1=${EPOCHREALTIME/,/.}
    # GNU time writes "Command exited with non-zero status N" first when rc != 0.
    # Its %e has a resolution of 10 ms; the wall time is taken from bash's
    # microsecond clock instead (it adds the ~1 ms start of /usr/bin/time).
    line=$(tail -n 1 "$TMP/$key.time")
    read -r _ user sys rss <<<"$line"
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    if [ "$limit" -gt 0 ] && { [ "$rc" = 124 ] || [ "$rc" = 137 ]; }; then
      M_TIMEOUT=1
      log "  $key: run $i/$runs hit the ${limit} s limit (peak $(fmt_mb "$rss") MB so far)"
    elif [[ " $ok " != *" $rc "* ]]; then
      echo "bench: error: $key failed with exit code $rc: $*" >&2
      echo "bench: last lines of its stderr:" >&2
      tail -n 20 "$TMP/$key.err" >&2
      if [[ $key == pf-* ]] && [ "$rc" = 2 ]; then
        echo "bench: exit code 2 is pathfinder's usage error: a flag above may not be implemented yet" >&2
      fi
      exit 1
    else
      log "  $key: run $i/$runs: wall $(fmt_s "$wall") s, cpu $(fmt_cpu "$cpu") s, peak $(fmt_mb "$rss") MB"
    fi
    walls+=("$wall")
    cpus+=("$cpu")
    rsss+=("$rss")
    if [ "$M_TIMEOUT" = 1 ]; then break; fi
  done
  M_WALL=$(median "${walls[@]}")
  M_CPU=$(median "${cpus[@]}")
  M_RSS=$(median "${rsss[@]}")
  M_RUNS=${#walls[@]}
}

# json_count KIND FILE -> findings count read from a tool's output
json_count() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
if kind == "rg":  # `rg -c`: one "path:count" line per file with a match
    total = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                total += int(line.rsplit(":", 1)[-1])
    print(total)
    sys.exit()
try:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if kind == "pathfinder":
        print(len(data["findings"]))
    elif kind in ("semgrep", "bandit"):
        print(len(data["results"]))
    elif kind == "ruff":
        print(len(data))
    elif kind == "sarif":
        print(sum(len(run.get("results") or []) for run in data["runs"]))
except (OSError, ValueError, KeyError, TypeError) as e:
    print(f"bench: warning: cannot count the findings in {path} ({kind}): {e!r}", file=sys.stderr)
    print("?")
EOF
}

# json_files KIND FILE -> files the tool says it parsed, or "-"
json_files() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if kind == "semgrep":
        print(len(data["paths"]["scanned"]))
    elif kind == "bandit":  # per-file metrics, minus the files it could not parse
        failed = {e["filename"] for e in data.get("errors", [])}
        print(sum(1 for k in data["metrics"] if k != "_totals" and k not in failed))
    else:
        print("-")
except Exception:
    print("-")
EOF
}

# pf_files_parsed FILE...: the number of files that `pathfinder scan --verbose`
# says it parsed: a key such as `files_parsed` anywhere in a JSON file, else a
# phrase in the text ("25 parsed", "files parsed: 25", "parsed 25 files").
pf_files_parsed() {
  python3 - "$@" <<'EOF'
import json, re, sys

def from_json(node):
    if isinstance(node, dict):
        for key, value in node.items():
            k = key.lower().replace("-", "_")
            if isinstance(value, int) and k in ("files_parsed", "parsed_files", "parsed"):
                return value
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            found = from_json(value)
            if found is not None:
                return found
    return None

texts = [open(p, encoding="utf-8", errors="replace").read() for p in sys.argv[1:]]
for text in texts:
    try:
        found = from_json(json.loads(text))
    except ValueError:
        continue
    if found is not None:
        print(found)
        sys.exit()
N = r"([0-9][0-9,_]*)"
patterns = [
    r"files?[ _]parsed\s*[:=]?\s*" + N,
    N + r"\s+(?:python\s+)?(?:files?\s+)?parsed\b",
    r"\bparsed\s+" + N + r"\s+(?:python\s+)?files?",
]
for text in texts:
    for pattern in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            print(re.sub(r"[,_]", "", m.group(1)))
            sys.exit()
print("-")
EOF
}

first_line() { local v; v=$("$@" 2>/dev/null) || true; v=${v%%$'\n'*}; echo "${v:-unknown}"; }

# ---------------------------------------------------------------- machine, versions
read -r BASE_FILES BASE_LINES < <(count_py "$CORPUS")
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem_gb=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
# Anything else running skews the times, most of all on few cores.
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="${load%% *}" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }'; then
  log "warning: the load average is $load on $(nproc) CPUs: other work is running, the times will be noisy"
fi
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [ -n "$(git -C "$REPO" status --porcelain 2>/dev/null)" ]; then commit="$commit (with local changes)"; fi

V_RG=$(first_line rg --version)
V_RUFF=$(first_line "$VENV/bin/ruff" --version)
V_SEMGREP=$(SEMGREP_ENABLE_VERSION_CHECK=0 first_line timeout 120 "$VENV/bin/semgrep" --version --disable-version-check --metrics=off)
V_BANDIT=$(first_line "$VENV/bin/bandit" --version)
V_CP=$(PATH="$VENV/bin:$PATH" first_line timeout 120 "$VENV/bin/pathfinder" version --no-banner --disable-metrics --no-update-check)
V_CP=${V_CP#Version: }
V_PF="pathfinder (not run)"
if [ "$ONLY_PEERS" = 0 ]; then V_PF=$(first_line "$PF" --version); fi

log "warming the file cache (reading every file of $CORPUS once)"
warm "$CORPUS"

# ---------------------------------------------------------------- runs
# Each row: tool|command shown|runs|wall|cpu|rss_kib|files|findings|timed_out
ROWS=()
add_row() { ROWS+=("$1|$2|$M_RUNS|$M_WALL|$M_CPU|$M_RSS|$3|$4|$M_TIMEOUT"); }

if [ "$ONLY_PEERS" = 0 ]; then
  log "pathfinder, all rules"
  measure pf-all "$RUNS" "0 1" 0 "$PF" scan --project "$CORPUS" --output json --no-progress
  findings=$(json_count pathfinder "$TMP/pf-all.out")
  # One more run, untimed, with --verbose: pathfinder reports the files it parsed.
  rc=0
  "$PF" scan --project "$CORPUS" --output json --no-progress --verbose \
    >"$TMP/pf-verbose.out" 2>"$TMP/pf-verbose.err" || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || die "pathfinder scan --verbose failed (exit $rc): $(tail -n 5 "$TMP/pf-verbose.err")"
  files=$(pf_files_parsed "$TMP/pf-verbose.err" "$TMP/pf-verbose.out")
  [ "$files" != - ] || log "  note: could not find a files-parsed count in the --verbose output (see $TMP/pf-verbose.err with --keep)"
  add_row "pathfinder (all rules)" "pathfinder scan --project DIR --output json --no-progress" "$files" "$findings"
  PF_WALL=$M_WALL

  log "pathfinder, the seed rule only"
  measure pf-seed "$RUNS" "0 1" 0 "$PF" scan --ruleset python/PYTHON-DJANGO-SEC-070 --project "$CORPUS" --output json --no-progress
  findings=$(json_count pathfinder "$TMP/pf-seed.out")
  rc=0
  "$PF" scan --ruleset python/PYTHON-DJANGO-SEC-070 --project "$CORPUS" --output json --no-progress --verbose \
    >"$TMP/pf-verbose.out" 2>"$TMP/pf-verbose.err" || rc=$?
  files=$(pf_files_parsed "$TMP/pf-verbose.err" "$TMP/pf-verbose.out")
  add_row "pathfinder (PYTHON-DJANGO-SEC-070)" "pathfinder scan --ruleset python/PYTHON-DJANGO-SEC-070 --project DIR --output json --no-progress" "$files" "$findings"
fi

log "ripgrep (the floor: read every file)"
# rg exits 1 when nothing matches
measure rg "$RUNS" "0 1" 0 rg -c set_cookie "$CORPUS"
add_row "ripgrep" "rg -c set_cookie DIR" - "$(json_count rg "$TMP/rg.out")"
[ "$ONLY_PEERS" = 0 ] || PF_WALL=$M_WALL

log "ruff"
measure ruff "$RUNS" "0" 0 "$VENV/bin/ruff" check --isolated --select S --no-cache --output-format json --exit-zero "$CORPUS"
add_row "ruff" "ruff check --isolated --select S --no-cache --output-format json --exit-zero DIR" - "$(json_count ruff "$TMP/ruff.out")"

if [ "$SKIP_SLOW" = 0 ]; then
  log "semgrep"
  measure semgrep "$RUNS" "0 1" 0 env SEMGREP_ENABLE_VERSION_CHECK=0 "$VENV/bin/semgrep" \
    --metrics=off --disable-version-check --config "$BENCH_DIR/rules/semgrep-cookies.yaml" \
    --json --x-ignore-semgrepignore-files "$CORPUS"
  add_row "semgrep" "semgrep --metrics=off --disable-version-check --config bench/rules/semgrep-cookies.yaml --json --x-ignore-semgrepignore-files DIR" \
    "$(json_files semgrep "$TMP/semgrep.out")" "$(json_count semgrep "$TMP/semgrep.out")"

  log "bandit ($SLOW_RUNS run(s); several minutes each)"
  # bandit exits 1 when it reports issues
  measure bandit "$SLOW_RUNS" "0 1" 0 "$VENV/bin/bandit" -r -q -f json "$CORPUS"
  add_row "bandit" "bandit -r -q -f json DIR" "$(json_files bandit "$TMP/bandit.out")" "$(json_count bandit "$TMP/bandit.out")"

  log "Code Pathfinder ($SLOW_RUNS run(s), at most $CP_TIMEOUT s each)"
  # $VENV/bin/pathfinder is a Python shim that runs the Go binary of the wheel
  # as a child. Call that binary directly (found the way the shim finds it), so
  # that `timeout` stops it and its CPU time and memory are still counted when
  # it hits the limit. It runs the rule file with the python3 it finds on PATH:
  # the venv's, which has the SDK.
  cp_bin=$("$VENV/bin/python" -c 'from codepathfinder.cli import get_binary_path; print(get_binary_path())') ||
    die "cannot find the Go binary of the codepathfinder wheel in $VENV"
  measure codepathfinder "$SLOW_RUNS" "0" "$CP_TIMEOUT" env PATH="$VENV/bin:$PATH" "$cp_bin" scan \
    --disable-metrics --no-update-check --no-banner --rules "$BENCH_DIR/rules/codepathfinder_cookie.py" \
    --project "$CORPUS" -o sarif -f "$TMP/codepathfinder.sarif"
  if [ "$M_TIMEOUT" = 1 ]; then
    findings=-
  else
    findings=$(json_count sarif "$TMP/codepathfinder.sarif")
  fi
  add_row "Code Pathfinder $V_CP" "pathfinder scan --disable-metrics --no-update-check --no-banner --rules bench/rules/codepathfinder_cookie.py --project DIR -o sarif -f OUT" - "$findings"
fi

# ---------------------------------------------------------------- scaling
SCALE_ROWS=()
if [ "$SCALING" = 1 ]; then
  for k in 1 2 4; do
    dir=$CORPUS
    if [ "$k" -gt 1 ]; then
      dir=$CORPUS-x$k
      # Reuse a complete copy; otherwise make one: k hard-linked copies of the
      # corpus in subfolders (a real copy when hard links are not possible).
      have=0
      if [ -d "$dir" ]; then
        [ -d "$dir/copy1" ] || die "$dir exists and was not made by this script (no copy1/ in it); move it away"
        have=$(find "$dir" -type f -name '*.py' | wc -l)
      fi
      if [ "$have" != $((k * BASE_FILES)) ]; then
        log "making $dir ($k copies of the corpus)"
        rm -rf "$dir.partial" && mkdir -p "$dir.partial"
        for ((i = 1; i <= k; i++)); do
          cp -al "$CORPUS" "$dir.partial/copy$i" 2>/dev/null || cp -r "$CORPUS" "$dir.partial/copy$i"
        done
        rm -rf "$dir" && mv "$dir.partial" "$dir"
      fi
    fi
    warm "$dir"
    read -r files lines < <(count_py "$dir")
    log "pathfinder, all rules, ${k}x ($files files)"
    measure "pf-x$k" "$RUNS" "0 1" 0 "$PF" scan --project "$dir" --output json --no-progress
    findings=$(json_count pathfinder "$TMP/pf-x$k.out")
    SCALE_ROWS+=("$k|$files|$lines|$M_WALL|$M_CPU|$M_RSS|$findings")
  done
fi

# ---------------------------------------------------------------- report
if [ "$ONLY_PEERS" = 0 ]; then ratio_to="pathfinder (all rules)"; else ratio_to="ripgrep"; fi
cat <<EOF
## Benchmark: pathfinder and its peers

- Machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, ${mem_gb:-?} GB RAM, Linux $(uname -r); load average at start: $load
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); pathfinder commit: $commit
- Corpus (DIR): \`$CORPUS\`, $BASE_FILES .py files, $BASE_LINES lines (bench/pypi-corpus.sh)
- Versions: $V_PF; $V_RG; $V_RUFF; semgrep $V_SEMGREP; $V_BANDIT; Code Pathfinder $V_CP
- Medians of $RUNS runs per tool (bandit and Code Pathfinder: $SLOW_RUNS), warm file cache; ratio = tool wall time / $ratio_to wall time

| tool | command | runs | wall s (median) | CPU s (user+sys) | peak MB | files parsed | findings | ratio |
|---|---|---:|---:|---:|---:|---:|---:|---:|
EOF
for row in "${ROWS[@]}"; do
  IFS='|' read -r tool cmd runs wall cpu rss files findings timed_out <<<"$row"
  if [ "$timed_out" = 1 ]; then
    wall_s=">$CP_TIMEOUT"
    ratio=">$(fmt_ratio "$CP_TIMEOUT" "$PF_WALL")"
    cpu_s=">$(fmt_cpu "$cpu")"
    rss_mb=">$(fmt_mb "$rss")"
  else
    wall_s=$(fmt_s "$wall")
    ratio=$(fmt_ratio "$wall" "$PF_WALL")
    cpu_s=$(fmt_cpu "$cpu")
    rss_mb=$(fmt_mb "$rss")
  fi
  echo "| $tool | \`$cmd\` | $runs | $wall_s | $cpu_s | $rss_mb | $files | $findings | $ratio |"
done

if [ "$SCALING" = 1 ]; then
  cat <<EOF

### Scaling: pathfinder (all rules) on 1x, 2x and 4x copies of the corpus

| copies | files | lines | wall s (median) | CPU s | peak MB | s per million lines | findings |
|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
  for row in "${SCALE_ROWS[@]}"; do
    IFS='|' read -r k files lines wall cpu rss findings <<<"$row"
    per=$(awk -v w="$wall" -v l="$lines" 'BEGIN { printf "%.3f", w / (l / 1e6) }')
    echo "| ${k}x | $files | $lines | $(fmt_s "$wall") | $(fmt_cpu "$cpu") | $(fmt_mb "$rss") | $per | $findings |"
  done
fi

if [ "$KEEP" = 1 ]; then log "raw outputs kept in $TMP"; fi
