"""Import of a workbook with 1,000 participants, 50 past deliveries, 150 sessions and 10,000 marks.

Issue 14's target: under 10 s, with a fixed number of queries per sheet rather than per row.
Prints the counts created, the seconds for reading + checking (the preview) and for applying,
and the number of queries, by the sheet whose tables they touch. Runs on a fresh test database (SQLite by default; set DATABASE_URL
for PostgreSQL, e.g. through scripts/with_postgres.sh).

    .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --answers   # plus a post-test per enrolment, by question
"""

import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PEOPLE, DELIVERIES, SESSIONS_EACH = 1_000, 50, 3
# 20 people per delivery, 10 deliveries per person over the years: 10,000 enrolments, 30,000 marks
# would be more than the issue asks; 200 people per delivery-group of 10 keeps 10,000 marks.
PER_DELIVERY = 67


# With --answers: every enrolment's post-test as answers to the five questions of
# assessments.tests.factories.make_five_question_test.
ANSWER_ROWS = [
    ["B", "AC", "T", "4", "1"],
    ["A", "A", "F", "2", "Милиса ва мардум"],
    ["2", "1 3", "T", "5", "0"],
]


def workbook_sheets(course_title: str, *, answers: bool = False) -> dict[str, list[list]]:
    from courses.workbook import COLUMNS

    people = [COLUMNS["participants"]]
    for n in range(PEOPLE):
        people.append(
            [
                f"P{n}",
                f"Одам {n} Раҳимов",
                "",
                "male" if n % 2 else "female",
                1960 + n % 40,
                "police",
                "",
                "",
                "TJ-SU" if n % 2 else "KG-O",
                "",
            ]
        )
    deliveries, sessions, enrolments, attendance = (
        [COLUMNS["deliveries"]],
        [COLUMNS["sessions"]],
        [COLUMNS["enrolments"]],
        [[*COLUMNS["attendance"], "1", "2", "3"]],
    )
    marks = 0
    for d in range(DELIVERIES):
        key, region = f"D{d}", "TJ-SU" if d % 2 else "KG-O"
        deliveries.append([key, course_title, region, "", "ru", "", 25, "completed", ""])
        for s in range(SESSIONS_EACH):
            sessions.append([key, f"2024-{1 + d % 12:02d}-{1 + d // 12 * 5 + s:02d}", "09:00", "13:00", ""])
        for i in range(PER_DELIVERY):
            person = f"P{(d * PER_DELIVERY + i) % PEOPLE}"
            if person in {row[1] for row in enrolments[-PER_DELIVERY:]}:
                continue
            enrolments.append([key, person, ""])
            statuses = ["P", "P", "A" if i % 5 == 0 else "L"]
            attendance.append([key, person, *statuses])
            marks += 3
    sheets = {
        "participants": people,
        "deliveries": deliveries,
        "sessions": sessions,
        "enrolments": enrolments,
        "attendance": attendance,
    }
    if answers:
        sheets["scores"] = [[*COLUMNS["scores"], "q1", "q2", "q3", "q4", "q5"]] + [
            [key, person, "post", "", "", *ANSWER_ROWS[n % len(ANSWER_ROWS)]]
            for n, (key, person, _audience) in enumerate(enrolments[1:])
        ]
    return sheets


# Which sheet's records a table holds; the audit trail and the rest are counted apart.
TABLE_SHEETS = {
    "courses_organisation": "organisations",
    "courses_participant": "participants",
    "courses_delivery": "deliveries",
    "courses_delivery_trainers": "deliveries",
    "courses_session": "sessions",
    "courses_enrolment": "enrolments",
    "attendance_attendancerecord": "attendance",
    "attendance_attendancechange": "attendance",
    "assessments_attempt": "scores",
    "assessments_answer": "scores",
    "assessments_answer_choices": "scores",
}
_TABLE = re.compile(r'(?:INTO|FROM|UPDATE)\s+"([a-z_]+)"', re.IGNORECASE)


def queries_by_sheet(queries) -> dict[str, int]:
    counts = Counter()
    for query in queries:
        match = _TABLE.search(query["sql"])
        table = match.group(1) if match else ""
        sheet = TABLE_SHEETS.get(table)
        if sheet is None:
            sheet = "audit trail" if table.startswith("core_audit") else "other (reads, savepoints)"
        counts[sheet] += 1
    return dict(sorted(counts.items()))


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accounts.roles import Role
        from accounts.tests.factories import user_with_role
        from courses import workbook
        from courses.tests.factories import make_course

        staff = user_with_role(Role.ME_STAFF)
        course = make_course("Bench course")
        answers = "--answers" in sys.argv
        if answers:
            from assessments.tests.factories import make_five_question_test

            make_five_question_test(course)
        data = workbook.workbook_bytes(workbook_sheets(course.title, answers=answers))
        started = time.perf_counter()
        preview = workbook.import_workbook(data=data, user=staff, commit=False)
        checked = time.perf_counter() - started
        assert preview.ok, preview.errors[:5]
        connection.queries_log = type(connection.queries_log)(maxlen=1_000_000)
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            plan = workbook.import_workbook(data=data, user=staff, commit=True, issue_certificates=False)
            applied, applied_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        from assessments.services import certificates_issue
        from courses.models import Delivery

        started = time.perf_counter()
        with CaptureQueriesContext(connection) as certificate_queries:
            issued = sum(
                len(certificates_issue(delivery=delivery, issued_by=staff))
                for delivery in Delivery.objects.filter(status=Delivery.Status.COMPLETED)
            )
        certified = time.perf_counter() - started
        print(f"workbook: {len(data) / 1024:.0f} KB, database: {connection.vendor}")
        print("created:", dict(plan.created))
        print(f"preview (read + check): {checked:.2f} s")
        # CPU seconds of this process beside the wall clock: on a shared machine the clock counts
        # other people's work too (with SQLite the database's work is in this process; with
        # PostgreSQL it is in the server's and not in this figure).
        print(
            f"import (read + check + apply): {applied:.2f} s ({applied_cpu:.2f} s CPU in this process), "
            f"{len(queries)} queries"
        )
        print("  queries by the sheet whose records they touch:", queries_by_sheet(queries.captured_queries))
        print(
            f"certificates by rule (assessments.services, one by one): {issued} in {certified:.2f} s, "
            f"{len(certificate_queries)} queries"
        )
        started = time.perf_counter()
        again = workbook.import_workbook(data=data, user=staff, commit=True)
        print(
            f"same workbook again: {time.perf_counter() - started:.2f} s, creates nothing: {again.creates_nothing}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
