"""Print a locust stats CSV (bench/run_load.sh) as a table: p50/p95 per endpoint and the failures.

Exits 1 when any request failed, so bench/run_load.sh can exit non-zero on errors.
Run: .venv/bin/python bench/load_table.py var/bench-load/u50_stats.csv [title]
"""

import csv
import sys
from pathlib import Path


def main() -> int:
    path = Path(sys.argv[1])
    title = sys.argv[2] if len(sys.argv) > 2 else path.stem
    if not path.exists():
        print(f"{title}: no statistics ({path} missing; see the locust log beside it)")
        return 1
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    print(f"\n{title}")
    print(
        f"{'endpoint':<52}{'requests':>9}{'failures':>9}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'req/s':>7}"
    )
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        requests, failed = int(row["Request Count"]), int(row["Failure Count"])
        if name != "all":
            failures += failed
        print(
            f"{name[:51]:<52}{requests:>9}{failed:>9}{row['50%']:>8}{row['95%']:>8}"
            f"{float(row['Max Response Time']):>8.0f}{float(row['Requests/s']):>7.1f}"
        )
    failures_csv = path.with_name(path.name.replace("_stats.csv", "_failures.csv"))
    if failures and failures_csv.exists():
        print("failures:")
        for row in csv.DictReader(failures_csv.open(encoding="utf-8")):
            print(f"  {row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:160]}")
    print(f"errors: {failures}")
    return 1 if failures or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
