"""Cost of the audit trail's post_init snapshot: loading 20,000 attendance records with and without it.

Every instance of an audited model keeps a copy of its audited fields when it is loaded, so that
a later save or bulk_update can record before → after. Reports should aggregate in the database
(values(), annotate) rather than load instances; this shows what loading instances costs extra.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db.models.signals import post_init  # noqa: E402
from django.utils import timezone  # noqa: E402

from attendance.models import AttendanceRecord  # noqa: E402

ROWS = 20_000
NAMES = [field.attname for field in AttendanceRecord._meta.concrete_fields]
VALUES = [1, 1, 1, "present", "web", "", 1, timezone.now(), 1]


def load_rows() -> float:
    started = time.perf_counter()
    for pk in range(1, ROWS + 1):
        AttendanceRecord.from_db("default", NAMES, [pk, *VALUES[1:]])
    return time.perf_counter() - started


def main() -> None:
    with_snapshot = statistics.median(load_rows() for _ in range(5))
    post_init.disconnect(sender=AttendanceRecord, dispatch_uid="hamkori-audit-attendance.AttendanceRecord")
    without = statistics.median(load_rows() for _ in range(5))
    print(
        f"audit snapshot: {ROWS} AttendanceRecord instances, median of 5: "
        f"{with_snapshot * 1000:.0f} ms with the snapshot, {without * 1000:.0f} ms without "
        f"({(with_snapshot - without) / ROWS * 1e6:.1f} µs per instance)"
    )


if __name__ == "__main__":
    main()
