#!/usr/bin/env python3
"""Times commands side by side on one tree, interleaved, and prints medians.

    python3 bench/side_by_side.py CORPUS RUNS NAME=COMMAND [NAME=COMMAND ...]

`{}` in a command stands for CORPUS. The commands run one after the other,
round after round (RUNS rounds), so that a busy moment of the machine falls
on all of them alike; the table gives each one's median wall time and its
ratio to the first command's. Output of the commands is discarded. Example:

    python3 bench/side_by_side.py ~/corpus 11 \\
        "rg=rg -c set_cookie {}" \\
        "pathfinder=target/release/pathfinder scan --project {} --output json"

With --memory, each command also runs under GNU time once more per round and
the median peak resident size is shown.
"""

import statistics
import subprocess
import sys
import time


def main(argv):
    memory = "--memory" in argv
    argv = [arg for arg in argv if arg != "--memory"]
    if len(argv) < 3 or any("=" not in arg for arg in argv[2:]):
        sys.exit(__doc__)
    corpus, runs = argv[0], int(argv[1])
    tools = [arg.split("=", 1) for arg in argv[2:]]
    times = {name: [] for name, _ in tools}
    peaks = {name: [] for name, _ in tools}
    for _ in range(runs):
        for name, command in tools:
            command = command.replace("{}", corpus)
            started = time.perf_counter()
            subprocess.run(
                command,
                shell=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            times[name].append(time.perf_counter() - started)
            if memory:
                timed = subprocess.run(
                    ["/usr/bin/time", "-f", "%M", "sh", "-c", command + " >/dev/null 2>&1"],
                    stderr=subprocess.PIPE,
                    text=True,
                    check=False,
                )
                peaks[name].append(int(timed.stderr.strip().splitlines()[-1]) / 1024)
    base = statistics.median(times[tools[0][0]])
    print(f"{'command':24} {'median ms':>10} {'ratio':>7}" + (f" {'peak MB':>8}" if memory else ""))
    for name, _ in tools:
        median = statistics.median(times[name])
        line = f"{name:24} {median * 1000:10.1f} {median / base:6.2f}x"
        if memory:
            line += f" {statistics.median(peaks[name]):8.1f}"
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
