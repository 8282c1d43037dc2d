"""Where the CPU of a load run went: the app server, PostgreSQL and the load generator (Linux, /proc).

bench/run_load.sh runs the server, the database and locust on the same cores, so a p95 over the
target can mean a slow page or a machine with no CPU left. This tells the two apart: it reads the
CPU seconds (user + system) of every process before and after a run and prints, for the run,

- the CPU seconds each group used, and the share of the machine's core-seconds they took;
- the app server's and PostgreSQL's CPU per request (what one request costs the machine);
- how many requests a second the machine could serve at most with those costs, beside the load
  generator's own use: when the run's rate is near it, the queue is the cause of the p95.

    python bench/cpu_use.py snapshot FILE                  # before and after a run
    python bench/cpu_use.py report BEFORE AFTER SECONDS STATS_CSV TIMES_BEFORE TIMES_AFTER

STATS_CSV is locust's `…_stats.csv` of the run (its request count); TIMES_BEFORE and TIMES_AFTER are
what bash's `times` printed in the caller's shell around the locust command (bench/run_load.sh):
the second line, the shell's ended children, gives the load generator's seconds.

Processes are grouped by command name: `gunicorn` (its master and workers), `postgres` (every
backend and helper, with those that ended during the run through their parent's count); everything
else is "other" (the kernel, this machine's services).
"""

import csv
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

GROUPS = ("gunicorn", "postgres")


def _group(command: str) -> str:
    return next((group for group in GROUPS if command.startswith(group)), "other")


def snapshot() -> dict[str, tuple[str, float, float]]:
    """Every process's command name, CPU seconds so far and those of its children that ended
    (and were waited for), by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while read
            continue
        # The command is in parentheses and may hold spaces; the fields after it are numbered from 3.
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        own = (int(fields[11]) + int(fields[12])) / ticks
        ended_children = (int(fields[13]) + int(fields[14])) / ticks
        processes[entry.name] = (command, own, ended_children)
    return processes


def used(before: dict, after: dict) -> Counter:
    """CPU seconds each group used between two snapshots (a pid reused by another command starts at 0).

    A gunicorn worker or PostgreSQL backend that ended during the run (a connection older than
    CONN_MAX_AGE is closed and opened again) is no longer in /proc, but its seconds are: in its
    parent's, the gunicorn master's or the postmaster's, count of ended children, less what it had
    used before the run when it was already there. Other processes
    count only their own (this script's caller waits for locust, measured apart).
    """
    seconds: Counter = Counter()
    for pid, (command, own, _ended_children) in before.items():
        # Ended during the run: its parent's count now holds its whole life, of which this much
        # was spent before the run.
        if _group(command) != "other" and after.get(pid, (None,))[0] != command:
            seconds[_group(command)] -= own
    for pid, (command, own, ended_children) in after.items():
        earlier_command, earlier_own, earlier_children = before.get(pid, (command, 0.0, 0.0))
        if earlier_command != command:
            earlier_own = earlier_children = 0.0
        group = _group(command)
        seconds[group] += own - earlier_own
        if group != "other":
            seconds[group] += ended_children - earlier_children
    return seconds


def report(before: dict, after: dict, *, seconds: float, requests: int, generator_seconds: float) -> str:
    groups = used(before, after)
    groups["locust (load generator)"] = generator_seconds
    cores = os.cpu_count() or 1
    available = cores * seconds
    lines = [f"CPU over {seconds:.0f} s on {cores} cores ({available:.0f} core-seconds):"]
    for group, spent in groups.most_common():
        lines.append(f"  {group:<24}{spent:>7.1f} s  {100 * spent / available:>4.0f} %")
    if requests:
        server = groups["gunicorn"] + groups["postgres"]
        per_request = server / requests
        lines.append(
            f"  per request: app server {1000 * groups['gunicorn'] / requests:.1f} ms, "
            f"PostgreSQL {1000 * groups['postgres'] / requests:.1f} ms"
        )
        # What the cores left by the load generator and the rest of the machine could serve.
        left = available - groups["locust (load generator)"] - groups["other"]
        lines.append(
            f"  at most ~{left / seconds / per_request:.0f} requests/s with these costs on the cores "
            f"left by the load generator and the rest; this run: {requests / seconds:.1f} requests/s"
        )
    return "\n".join(lines)


def requests_in(stats_csv: Path) -> int:
    """The number of requests locust's stats CSV counts over all endpoints (0 when it is missing)."""
    if not stats_csv.exists():
        return 0
    rows = csv.DictReader(stats_csv.open(encoding="utf-8"))
    return next((int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated"), 0)


def ended_children_seconds(times_output: str) -> float:
    """The CPU seconds (user + system) of a shell's ended children, from what bash's `times` printed:
    two lines of "XmY.YYYs XmY.YYYs", the shell's own and then its children's."""
    line = times_output.splitlines()[1]
    return sum(
        int(minutes) * 60 + float(seconds) for minutes, seconds in re.findall(r"(\d+)m([\d.]+)s", line)
    )


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["snapshot"] and len(arguments) == 2:
        Path(arguments[1]).write_text(json.dumps(snapshot()), encoding="utf-8")
        return 0
    if arguments[:1] == ["report"] and len(arguments) == 7:
        before, after = (json.loads(Path(name).read_text(encoding="utf-8")) for name in arguments[1:3])
        times_before, times_after = (
            ended_children_seconds(Path(name).read_text(encoding="utf-8")) for name in arguments[5:7]
        )
        print(
            report(
                before,
                after,
                seconds=float(arguments[3]),
                requests=requests_in(Path(arguments[4])),
                generator_seconds=times_after - times_before,
            )
        )
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
