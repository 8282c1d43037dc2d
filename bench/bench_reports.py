"""Benchmark /reports/ at ten years' scale: the dashboard's median time and its ratio to one hand-written query.

    .venv/bin/python bench/bench_reports.py                      # SQLite, full size (about 5 minutes to generate)
    .venv/bin/python bench/bench_reports.py --scale 0.05          # a quick run
    .venv/bin/python bench/bench_reports.py --database /tmp/p.sqlite3   # reuse a generated SQLite file
    scripts/with_postgres.sh .venv/bin/python bench/bench_reports.py    # PostgreSQL (DATABASE_URL from the script)

It builds its own database (a temporary SQLite file, or the throwaway
PostgreSQL cluster), runs `generate_programme`, then requests the dashboard
several times as an M&E officer and prints the median, the number of queries,
and the ratio to the single aggregate SQL query for the headline figure
(unique people trained, no filters).

Freshness: it then changes one mark (and, separately, cancels one session and changes
one person's sex) and times the first dashboard after each change — the report that
rewrites the facts concerned (reports.facts) — against the full rebuild it replaces.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

HEADLINE_SQL = """
SELECT COUNT(DISTINCT e.participant_id)
FROM courses_enrolment e
JOIN courses_delivery d ON d.id = e.delivery_id
JOIN curriculum_coursepage c ON c.page_ptr_id = d.course_id
JOIN (SELECT delivery_id, COUNT(*) AS held FROM courses_session
      WHERE status <> 'cancelled' AND starts_at <= %s GROUP BY delivery_id) h ON h.delivery_id = e.delivery_id
LEFT JOIN (SELECT s.delivery_id, a.participant_id, COUNT(*) AS attended
           FROM attendance_attendancerecord a JOIN courses_session s ON s.id = a.session_id
           WHERE a.status IN ('present', 'late', 'left_early') AND s.status <> 'cancelled' AND s.starts_at <= %s
           GROUP BY s.delivery_id, a.participant_id) t
       ON t.delivery_id = e.delivery_id AND t.participant_id = e.participant_id
WHERE e.status NOT IN ('withdrawn', 'waitlisted')
  AND (e.status = 'completed' OR COALESCE(t.attended, 0) * 100 >= h.held * c.minimum_attendance_percent)
"""


def median_seconds(function, repeat: int) -> float:
    function()  # warm the caches once
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def first_report_after_changes(repeat, dashboard, facts_ensure_fresh, AttendanceRecord, Session, Participant):
    """Per kind of change: median seconds of the first dashboard after it, of the refresh alone, and its statements.

    Each round makes the change (toggling it back and forth on records spread over the
    years) and times the dashboard that follows; a second round per change times the
    refresh by itself.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    marks = list(AttendanceRecord.objects.order_by("pk").values_list("pk", flat=True)[::50_000][: repeat + 1])
    sessions = list(Session.objects.order_by("pk").values_list("pk", flat=True)[::2_000][: repeat + 1])
    people = list(Participant.objects.order_by("pk").values_list("pk", flat=True)[::10_000][: repeat + 1])

    def toggle(model, rows, field, values):
        state = {"round": 0}

        def change():
            pk = rows[state["round"] % len(rows)]
            current = model.objects.filter(pk=pk).values_list(field, flat=True).get()
            model.objects.filter(pk=pk).update(**{field: values[1] if current == values[0] else values[0]})
            state["round"] += 1

        return change

    changes = {
        "one changed mark": toggle(AttendanceRecord, marks, "status", ("present", "absent")),
        "one cancelled session": toggle(Session, sessions, "status", ("scheduled", "cancelled")),
        "one person's sex changed": toggle(Participant, people, "sex", ("female", "male")),
    }
    results = {}
    for name, change in changes.items():
        report_times, drain_times, statements = [], [], 0
        for _ in range(repeat):
            change()
            started = time.perf_counter()
            dashboard()
            report_times.append(time.perf_counter() - started)
            change()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                refreshed = facts_ensure_fresh()
                drain_times.append(time.perf_counter() - started)
            assert refreshed, name
            statements = len(queries)
        results[name] = (statistics.median(report_times), statistics.median(drain_times), statements)
    return results


def ensure_postgres_database(url: str) -> None:
    """scripts/with_postgres.sh starts an empty cluster; create the database its DATABASE_URL names."""
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the full ten-year size.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", help="An SQLite file to use; generated if it does not exist yet.")
    parser.add_argument(
        "--reuse", action="store_true", help="The database (PostgreSQL) was generated by an earlier run."
    )
    args = parser.parse_args()

    generate = not args.reuse
    if "DATABASE_URL" not in os.environ:
        path = (
            Path(args.database)
            if args.database
            else Path(tempfile.mkdtemp(prefix="hamkori-bench-")) / "bench.sqlite3"
        )
        generate = not path.exists()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.roles import Role
    from accounts.tests.factories import user_with_role
    from attendance.models import AttendanceRecord
    from courses.models import Participant, Session
    from reports.facts import facts_ensure_fresh, facts_refresh
    from reports.selectors import ReportScope, people_totals

    settings.ALLOWED_HOSTS = ["*"]
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    if generate:
        sizes = {
            "participants": int(100_000 * args.scale),
            "deliveries": max(1, int(5_000 * args.scale)),
            "sessions": max(4, int(20_000 * args.scale)),
            "attendance": int(1_000_000 * args.scale),
        }
        call_command("generate_programme", **sizes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics on both databases

    staff = user_with_role(Role.ME_STAFF, username="bench-mestaff")
    client = Client()
    client.force_login(staff)

    def dashboard():
        response = client.get("/reports/")
        assert response.status_code == 200, response.status_code

    def dashboard_filtered():
        response = client.get(
            "/reports/", {"country": "TJ", "date_from": "2024-01-01", "date_to": "2024-12-31"}
        )
        assert response.status_code == 200, response.status_code

    now = timezone.now()

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(HEADLINE_SQL, [now, now])
            return cursor.fetchone()[0]

    facts_ensure_fresh(now=now)
    orm_figure = people_totals(ReportScope(user=staff, now=now))["people_trained"]
    sql_figure = hand_written()
    executed = []

    def count_query(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_query):
        dashboard()
    refresh_time = median_seconds(facts_refresh, max(1, args.repeat // 2))
    facts_ensure_fresh()
    fingerprint_time = median_seconds(facts_ensure_fresh, args.repeat)
    dashboard_time = median_seconds(dashboard, args.repeat)
    after_change = first_report_after_changes(
        args.repeat, dashboard, facts_ensure_fresh, AttendanceRecord, Session, Participant
    )
    filtered_time = median_seconds(dashboard_filtered, args.repeat)
    sql_time = median_seconds(hand_written, args.repeat)
    print(f"database: {vendor}")
    print(
        f"people trained: ORM {orm_figure:,}, hand-written SQL {sql_figure:,} ({'same' if orm_figure == sql_figure else 'DIFFERENT'})"
    )
    print(f"dashboard queries: {len(executed)} (report tables fresh)")
    print(
        f"report tables full rebuild median: {refresh_time:.3f} s; "
        f"freshness check (nothing changed) median: {fingerprint_time:.3f} s"
    )
    for change, (report_time, drain_time, queries) in after_change.items():
        print(
            f"first dashboard after {change}: median {report_time:.3f} s "
            f"(of which the facts' refresh {drain_time:.3f} s, {queries} statements)"
        )
    print(f"dashboard median (no filters): {dashboard_time:.3f} s")
    print(f"dashboard median (TJ, 2024): {filtered_time:.3f} s")
    print(f"hand-written headline SQL median: {sql_time:.3f} s")
    print(f"ratio dashboard / hand-written SQL: {dashboard_time / sql_time:.1f}")


if __name__ == "__main__":
    main()
