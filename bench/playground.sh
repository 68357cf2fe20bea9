#!/usr/bin/env bash
# How long `POST /api/scan` takes on a 1,000-line Django views file, measured
# from outside, over HTTP, as the page calls it.
#
#   bash bench/playground.sh [BINARY] [RUNS]
#
# BINARY defaults to target/release/pathfinder (build it with
# `cargo build --release -p pathfinder`); RUNS defaults to 50. Needs curl and
# python3 (to build the request body). Prints the median and the slowest run.
set -euo pipefail

BIN=${1:-target/release/pathfinder}
RUNS=${2:-50}
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# 1,000 lines: 100 views of 10 lines, each writing a cookie, a third insecure.
python3 - "$WORK/body.json" <<'PY'
import json, sys
lines = ["from django.http import HttpResponse", ""]
i = 0
while len(lines) < 1000:
    flags = "" if i % 3 == 0 else ", secure=True, httponly=True, samesite='Lax'"
    lines += [
        f"def view_{i}(request):",
        f"    # view {i}: sets a cookie",
        f"    value = request.GET.get('v{i}', '')",
        f"    response = HttpResponse('ok {i}')",
        f"    response.set_cookie('c{i}', value{flags})",
        "    if value:",
        "        response['X-Seen'] = '1'",
        "    return response",
        "",
        "",
    ]
    i += 1
source = "\n".join(lines[:1000]) + "\n"
json.dump({"source": source, "path": "views.py"}, open(sys.argv[1], "w"))
PY

"$BIN" playground --port 0 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 100); do
  grep -q "listening on" "$WORK/server.log" 2>/dev/null && break
  sleep 0.05
done
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/server.log" | head -1)
HOST=${URL#http://}; HOST=${HOST%/}

# One warm-up, then the timed runs.
curl -s -o "$WORK/answer.json" -H "Content-Type: application/json" --data-binary @"$WORK/body.json" "${URL}api/scan"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("findings:", len(d["findings"]))' "$WORK/answer.json"
for _ in $(seq "$RUNS"); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "Host: $HOST" -H "Content-Type: application/json" \
    --data-binary @"$WORK/body.json" "${URL}api/scan"
done | sort -n | awk '{ t[NR] = $1 } END { printf "runs: %d  median: %.1f ms  slowest: %.1f ms\n", NR, t[int((NR + 1) / 2)] * 1000, t[NR] * 1000 }'
