#!/usr/bin/env python3
"""Latency of `pathfinder server`: how long after a change the diagnostics of
a 1,000-line Python file arrive, measured as an editor sees it (the time from
writing `textDocument/didChange` to reading the matching
`textDocument/publishDiagnostics`). The debounce (15 ms) is included.

    cargo build --release -p pathfinder
    python3 bench/server_latency.py target/release/pathfinder [CHANGES]

Prints the median, 90th percentile and maximum over CHANGES edits (default 50).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


def source(lines, variant):
    """A Django views module of `lines` lines, one insecure cookie per 20."""
    out = ["from django.http import HttpResponse", ""]
    n = 0
    while len(out) + 8 <= lines:
        out += [
            f"def view_{n}(request):",
            f"    response = HttpResponse('ok {variant}')",
            f"    response.set_cookie('sessionid', 'v{n}')",
            "    total = 0",
            "    for item in range(10):",
            "        total += item",
            "    return response",
            "",
        ]
        n += 1
    while len(out) < lines:
        out.append(f"# filler {variant}")
    return "\n".join(out) + "\n"


def main():
    binary = sys.argv[1]
    changes = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    root = tempfile.mkdtemp()
    path = os.path.join(root, "views.py")
    uri = "file://" + path
    server = subprocess.Popen([binary, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(message):
        server.stdin.write(frame(message))
        server.stdin.flush()

    def wait_diagnostics(version):
        while True:
            message = read_message(server.stdout)
            params = message.get("params") or {}
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("version") == version):
                return len(params["diagnostics"])

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": "file://" + root, "capabilities": {}}})
    read_message(server.stdout)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    text = source(1000, 0)
    assert text.count("\n") == 1000
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    findings = wait_diagnostics(1)
    timings = []
    for version in range(2, changes + 2):
        text = source(1000, version)
        started = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version},
                         "contentChanges": [{"text": text}]}})
        count = wait_diagnostics(version)
        timings.append((time.perf_counter() - started) * 1000)
        assert count == findings, (count, findings)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    read_message(server.stdout)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    server.wait(timeout=10)
    timings.sort()
    print(f"1000-line file, {findings} findings, {changes} changes: "
          f"median {statistics.median(timings):.1f} ms, "
          f"p90 {timings[int(len(timings) * 0.9) - 1]:.1f} ms, "
          f"max {timings[-1]:.1f} ms (debounce of 15 ms included)")


if __name__ == "__main__":
    main()
