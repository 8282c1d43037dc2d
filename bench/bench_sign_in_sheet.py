"""Median time to build the sign-in sheet PDF for a session of 40 participants (target: under 0.3 s)."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = 15


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from attendance.pdf import session_sign_in_sheet
        from attendance.tests.factories import make_roster
        from courses.models import Session

        roster = make_roster(40)
        session = Session.objects.select_related("delivery__region", "delivery__course", "venue").get(
            pk=roster.session.pk
        )
        session_sign_in_sheet(session=session)  # warm up: font registration happens once per process
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            content = session_sign_in_sheet(session=session)
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        print(
            f"sign-in sheet, 40 participants: median {median:.3f} s over {RUNS} runs "
            f"({len(content) // 1024} KB; target < 0.3 s) {'OK' if median < 0.3 else 'SLOW'}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
