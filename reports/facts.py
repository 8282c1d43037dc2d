"""The fact table behind every report figure: built from the programme's records, refreshed on demand.

Why a table: a report over ten years counts 250,000 enrolments with what each
participant attended (a million marks), scored and was certified, broken down by
sex, audience, organisation type and region. Joining and grouping all that per
figure took seconds each; `EnrolmentFact` holds it as one narrow row per active
enrolment, built in one INSERT … SELECT, so a figure is one scan of one table.

Why refreshed here rather than by the services that write the records: the rows rest
on marks, sessions, enrolments, participants, organisations, deliveries, courses, test
attempts and certificates, written by apps below reports that may not call up into it,
and by `bulk_create` / `update` in imports, merges and tests. So reports keeps a
fingerprint of everything the rows rest on and rebuilds them when it differs:
`facts_ensure_fresh` runs before every report (one small query when nothing changed).
`manage.py refresh_report_tables` rebuilds them ahead of time (after an import, from cron).

What a row does not decide: anything that changes with the clock. Sessions "held" are
those that have started; the held count per delivery is brought up to the report's
moment by `deliveries_held_refresh` (only the deliveries whose count moved are
rewritten), and a row whose last attended session has not started yet falls back to
counting the marks (see reports.selectors).
"""

import hashlib
from datetime import datetime

from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Attempt, Certificate, Phase
from assessments.rules import score_percent_expression
from attendance.models import AttendanceRecord
from attendance.rules import attended_statuses
from courses.models import Delivery, Enrolment, Organisation, Participant, Session
from courses.rules import ACTIVE_ENROLMENT_STATUSES, held_session_q, planned_session_q
from curriculum.models import CoursePage

from .models import DeliveryHeld, EnrolmentFact, ReportRefresh

# Each table's count and highest id catch an insert or a delete (ids only grow: AUTOINCREMENT,
# sequences); the changed-at maxima (indexed), versions and sequences catch an edit.
FINGERPRINT_PARTS = {
    "record": "COUNT(*), MAX(id), SUM(version)",
    "session": "COUNT(*), MAX(id), SUM(sequence), MAX(updated_at)",
    "enrolment": "COUNT(*), MAX(id), MAX(status_changed_at)",
    "participant": "COUNT(*), MAX(id), MAX(updated_at)",
    "organisation": "COUNT(*), MAX(id), MAX(updated_at)",
    "delivery": "COUNT(*), MAX(id), MAX(updated_at)",
    "course": "COUNT(*), SUM(minimum_attendance_percent * page_ptr_id)",
    "attempt": "COUNT(*), MAX(id), MAX(updated_at)",
    "certificate": "COUNT(*), MAX(id), COUNT(revoked_at), MAX(revoked_at)",
}


def _fingerprint_sql(tables: dict[str, str], held: str) -> str:
    """One query for every table's fingerprint values, written the way each database reads fastest.

    PostgreSQL counts by reading the table, so each table is read once for all its values
    (one derived row per table); SQLite answers a lone COUNT(*) or MAX(id) from the b-tree
    without reading rows, so there each value is its own scalar subquery.
    """
    if connection.vendor == "postgresql":
        rows = ", ".join(
            f"(SELECT {values} FROM {tables[name]}) {name}" for name, values in FINGERPRINT_PARTS.items()
        )
        return f"SELECT * FROM {rows}, (SELECT COUNT(*) FROM ({held}) h) held"
    scalars = [
        f"(SELECT {value.strip()} FROM {tables[name]})"
        for name, values in FINGERPRINT_PARTS.items()
        for value in values.split(", ")
    ]
    return f"SELECT {', '.join(scalars)}, (SELECT COUNT(*) FROM ({held}) h)"


def _held_sessions(now: datetime):
    return Session.objects.filter(held_session_q(now=now))


def data_fingerprint(now: datetime | None = None) -> tuple[str, str]:
    """Two fingerprints: of the data the fact table rests on, and of that plus the sessions held by `now`.

    The first changes whenever a mark, session, enrolment, participant, organisation,
    delivery, course rule, test attempt or certificate is added, changed or removed. The
    second also changes when a session starts; with the sessions unchanged, the same
    number started means the same ones.
    """
    held_sql, held_params = _held_sessions(now or timezone.now()).values("pk").query.sql_with_params()
    tables = {
        "record": AttendanceRecord._meta.db_table,
        "session": Session._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "participant": Participant._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "delivery": Delivery._meta.db_table,
        "course": CoursePage._meta.db_table,
        "attempt": Attempt._meta.db_table,
        "certificate": Certificate._meta.db_table,
    }
    sql = _fingerprint_sql(tables, held_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, held_params)
        values = [str(value) for value in cursor.fetchone()]
    return _digest(values[:-1]), _digest(values)


def _digest(values: list[str]) -> str:
    return hashlib.sha256("|".join(values).encode()).hexdigest()


def deliveries_held_refresh(now: datetime, *, update_facts: bool = True) -> int:
    """Bring DeliveryHeld and the facts' held counts up to `now`; returns how many deliveries' counts moved.

    Most calls find a handful of deliveries whose session has just started, so only
    their facts are rewritten (by the delivery index), not the whole table. A fixed
    number of statements whatever the data size.
    """
    held_query = (
        _held_sessions(now).values(delivery_ref=F("delivery_id")).annotate(held=Count("pk")).order_by()
    )
    held_now = {row["delivery_ref"]: row["held"] for row in held_query}
    held_before = dict(DeliveryHeld.objects.values_list("delivery_id", "held_sessions"))
    moved = [
        delivery_id
        for delivery_id in held_now.keys() | held_before.keys()
        if held_now.get(delivery_id, 0) != held_before.get(delivery_id, 0)
    ]
    if not moved:
        return 0
    grouped, params = held_query.query.sql_with_params()
    with transaction.atomic():
        DeliveryHeld.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {DeliveryHeld._meta.db_table} (delivery_id, held_sessions) "
                f"SELECT t.delivery_ref, t.held FROM ({grouped}) t",
                params,
            )
        if update_facts:
            # A list of ids keeps the usual handful of deliveries to an index lookup; many (a
            # restored backup, a changed clock) are matched by scanning instead.
            facts = EnrolmentFact.objects.all()
            if len(moved) <= 500:
                facts = facts.filter(delivery_id__in=moved)
            held_rows = DeliveryHeld.objects.filter(delivery_id=OuterRef("delivery_id"))
            facts.update(held_sessions=Coalesce(Subquery(held_rows.values("held_sessions")[:1]), 0))
    return len(moved)


def _grouped_attendance_sql() -> tuple[str, tuple]:
    """Per delivery and participant: attended marks at sessions not cancelled, their duration, first and last start."""
    grouped = (
        AttendanceRecord.objects.filter(planned_session_q("session__"), status__in=attended_statuses())
        .values(delivery=F("session__delivery_id"), person=F("participant_id"))
        .annotate(
            attended=Count("pk"),
            duration=Sum(
                ExpressionWrapper(
                    F("session__ends_at") - F("session__starts_at"), output_field=DurationField()
                )
            ),
            first_start=Min("session__starts_at"),
            last_start=Max("session__starts_at"),
        )
        .order_by()
    )
    return grouped.query.sql_with_params()


def _scores_sql(phase: str) -> tuple[str, tuple]:
    """Submitted attempts of one phase with a score out of something: delivery, participant, percent."""
    scores = (
        Attempt.objects.filter(phase=phase, status=Attempt.Status.SUBMITTED, max_score__gt=0)
        .values("delivery_id", "participant_id")
        .annotate(percent=score_percent_expression())
        .values("delivery_id", "participant_id", "percent")
        .order_by()
    )
    return scores.query.sql_with_params()


FACT_COLUMNS = """enrolment_id, participant_id, delivery_id, country_id, region_id, audience, sex,
    organisation_type, enrolment_completed, in_training, minimum_attendance_percent, held_sessions,
    pre_percent, post_percent, certified, attended_sessions, attended_duration,
    first_attended_at, last_attended_at, is_first_delivery"""

COPIED_COLUMNS = """e.id, e.participant_id, e.delivery_id, d.country_id, d.region_id, e.audience, p.sex,
    COALESCE(o.type, ''), e.status = %s, e.status = %s, c.minimum_attendance_percent,
    COALESCE(h.held_sessions, 0), pre.percent, post.percent, cert.id IS NOT NULL"""


def _facts_insert_sql() -> list[tuple[str, list]]:
    """The two INSERT … SELECT statements that build every fact row from its sources.

    The first makes the rows of enrolments with an attended mark, driven by the marks grouped
    per delivery and participant; the second the rows of the other active enrolments. Two
    statements because joining every enrolment to the grouped marks (a derived table without
    an index) makes SQLite scan the groups once per enrolment.
    """
    grouped, grouped_params = _grouped_attendance_sql()
    pre, pre_params = _scores_sql(Phase.PRE)
    post, post_params = _scores_sql(Phase.POST)
    active = ", ".join(["%s"] * len(ACTIVE_ENROLMENT_STATUSES))
    fact = EnrolmentFact._meta.db_table
    joins = f"""
        JOIN {Delivery._meta.db_table} d ON d.id = e.delivery_id
        JOIN {CoursePage._meta.db_table} c ON c.page_ptr_id = d.course_id
        JOIN {Participant._meta.db_table} p ON p.id = e.participant_id
        LEFT JOIN {Organisation._meta.db_table} o ON o.id = p.organisation_id
        LEFT JOIN {DeliveryHeld._meta.db_table} h ON h.delivery_id = e.delivery_id
        LEFT JOIN ({pre}) pre ON pre.delivery_id = e.delivery_id AND pre.participant_id = e.participant_id
        LEFT JOIN ({post}) post ON post.delivery_id = e.delivery_id AND post.participant_id = e.participant_id
        LEFT JOIN {Certificate._meta.db_table} cert
               ON cert.delivery_id = e.delivery_id AND cert.participant_id = e.participant_id
              AND cert.revoked_at IS NULL"""
    # "Trained" is the stored decision (completed); "in training" an enrolment not decided yet.
    copied_params = [Enrolment.Status.COMPLETED, Enrolment.Status.ENROLLED]
    join_params = [*pre_params, *post_params]
    attended = f"""
        INSERT INTO {fact} ({FACT_COLUMNS})
        SELECT {COPIED_COLUMNS}, w.attended, w.duration,
               w.first_start, w.last_start, w.first_start = w.programme_first
        FROM (SELECT t.*, MIN(t.first_start) OVER (PARTITION BY t.person) AS programme_first
              FROM ({grouped}) t) w
        JOIN {Enrolment._meta.db_table} e ON e.delivery_id = w.delivery AND e.participant_id = w.person
        {joins}
        WHERE e.status IN ({active})"""
    not_attended = f"""
        INSERT INTO {fact} ({FACT_COLUMNS})
        SELECT {COPIED_COLUMNS}, 0, NULL, NULL, NULL, FALSE
        FROM {Enrolment._meta.db_table} e
        {joins}
        WHERE e.status IN ({active})
          AND NOT EXISTS (SELECT 1 FROM {fact} f WHERE f.enrolment_id = e.id)"""
    return [
        (attended, [*copied_params, *grouped_params, *join_params, *ACTIVE_ENROLMENT_STATUSES]),
        (not_attended, [*copied_params, *join_params, *ACTIVE_ENROLMENT_STATUSES]),
    ]


def facts_refresh(now: datetime | None = None) -> int:
    """Rebuild every fact row (held counts first); returns how many rows there are now."""
    now = now or timezone.now()
    fact = EnrolmentFact._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Grouping a million marks: sorts in memory, no JIT (measured 6.2 s → 5.7 s).
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '256MB'")
                # DELETE would leave 250,000 dead rows for every report to read past until
                # autovacuum came (measured: the dashboard 0.9 s → 1.7 s after two rebuilds).
                # TRUNCATE is transactional here; reports wait for the commit, as they would
                # wait for the rebuild anyway.
                # TRUNCATE refuses a table with foreign-key checks still deferred in this
                # transaction (facts written earlier in it): run them now, then defer again, as
                # Django declares every foreign key (DEFERRABLE INITIALLY DEFERRED).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {fact}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                EnrolmentFact.objects.all().delete()
        deliveries_held_refresh(now, update_facts=False)
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in _facts_insert_sql():
                cursor.execute(sql, params)
                rows += cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {fact}")  # the planner's row estimates for the new table
        return rows


def facts_ensure_fresh(*, now: datetime | None = None) -> bool:
    """Bring the report tables up to date for a report made at `now`; True when something was rebuilt.

    Nothing is rebuilt when nothing changed (one fingerprint query and one stamp query); the
    held counts alone when only the clock moved past a session's start; everything otherwise.
    The stamp row is locked first, so two requests finding the tables stale rebuild one after
    the other (PostgreSQL) and the second finds them fresh.
    """
    now = now or timezone.now()
    fingerprint, held_fingerprint = data_fingerprint(now)
    stamp = ReportRefresh.objects.filter(pk=1).values_list("fingerprint", "held_fingerprint").first()
    if stamp == (fingerprint, held_fingerprint):
        return False
    with transaction.atomic():
        # The migration makes the one row; a flushed test database may have lost it.
        stamp = ReportRefresh.objects.select_for_update().filter(pk=1).first()
        if stamp is None:
            stamp = ReportRefresh(pk=1, fingerprint="", refreshed_at=timezone.now())
        fingerprint, held_fingerprint = data_fingerprint(now)
        if (stamp.fingerprint, stamp.held_fingerprint) == (fingerprint, held_fingerprint):
            return False
        if stamp.fingerprint != fingerprint:
            facts_refresh(now)
        else:
            deliveries_held_refresh(now)
        stamp.fingerprint, stamp.held_fingerprint = fingerprint, held_fingerprint
        stamp.refreshed_at = timezone.now()
        stamp.save()
    return True
