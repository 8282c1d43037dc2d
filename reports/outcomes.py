"""The per-enrolment outcome table behind the people figures: built from attendance, refreshed on demand.

Why a table: "trained", "first-time" and participant-hours need, per enrolment, what
its participant attended in its delivery. Computing that from a million attendance
marks for every figure took half a minute; one grouped INSERT … SELECT takes a few
seconds, and afterwards every figure is a GROUP BY over enrolments joined to one row each.

Why refreshed here rather than by the services that write attendance: the rows rest on
sessions (cancelled, moved), enrolments and participant merges as well as on marks,
and those are written by apps below reports that may not call up into it. So reports
keeps a fingerprint of everything the rows rest on and rebuilds them when it differs:
`outcomes_ensure_fresh` runs before every report (one small query when nothing changed).
`manage.py refresh_report_tables` rebuilds them ahead of time (after an import, from cron).

What a row does not store: anything that changes with the clock. Sessions "held" are
those that have started, so the held count per delivery is computed when a report is
asked for, and a row whose last attended session has not started yet falls back to
counting the marks (see reports.selectors).
"""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Sum
from django.utils import timezone

from attendance.models import AttendanceRecord
from attendance.selectors import attended_statuses
from courses.models import Enrolment, Participant, Session

from .models import DeliveryHeld, EnrolmentOutcome, ReportRefresh

FINGERPRINT_SQL = """
SELECT
  (SELECT COUNT(*) FROM {record}), (SELECT MAX(id) FROM {record}), (SELECT SUM(version) FROM {record}),
  (SELECT COUNT(*) FROM {session}), (SELECT MAX(id) FROM {session}), (SELECT SUM(sequence) FROM {session}),
  (SELECT MAX(updated_at) FROM {session}),
  (SELECT COUNT(*) FROM {enrolment}), (SELECT MAX(id) FROM {enrolment}),
  (SELECT COUNT(*) FROM {participant}), (SELECT MAX(id) FROM {participant}),
  (SELECT COUNT(*) FROM ({held}) h)
"""


def _held_sessions(now: datetime):
    return Session.objects.filter(starts_at__lte=now).exclude(status=Session.Status.CANCELLED)


def data_fingerprint(now: datetime | None = None) -> tuple[str, str]:
    """Two fingerprints: of the data the outcome table rests on, and of that plus the sessions held by `now`.

    The first changes whenever a mark, session, enrolment or participant is added, changed or
    removed: marks raise their version on every change, sessions their sequence or updated_at,
    a participant merge deletes a participant, and ids only grow (AUTOINCREMENT, sequences), so
    an add followed by a delete still changes the maximum or the count. The second also changes
    when a session starts; with the sessions unchanged, the same number started means the same ones.
    """
    held_sql, held_params = _held_sessions(now or timezone.now()).values("pk").query.sql_with_params()
    sql = FINGERPRINT_SQL.format(
        record=AttendanceRecord._meta.db_table,
        session=Session._meta.db_table,
        enrolment=Enrolment._meta.db_table,
        participant=Participant._meta.db_table,
        held=held_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, held_params)
        values = [str(value) for value in cursor.fetchone()]
    return "|".join(values[:-1]), "|".join(values)


def deliveries_held_refresh(now: datetime) -> None:
    """Rebuild DeliveryHeld: per delivery, its sessions started by `now` and not cancelled."""
    grouped, params = (
        _held_sessions(now)
        .values(delivery_ref=F("delivery_id"))
        .annotate(held=Count("pk"))
        .order_by()
        .query.sql_with_params()
    )
    with transaction.atomic():
        DeliveryHeld.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {DeliveryHeld._meta.db_table} (delivery_id, held_sessions) "
                f"SELECT t.delivery_ref, t.held FROM ({grouped}) t",
                params,
            )


def _grouped_attendance_sql() -> tuple[str, tuple]:
    """Per delivery and participant: attended marks at sessions not cancelled, their duration, first and last start."""
    grouped = (
        AttendanceRecord.objects.filter(status__in=attended_statuses())
        .exclude(session__status=Session.Status.CANCELLED)
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


def outcomes_refresh() -> int:
    """Rebuild every outcome row in one statement; returns how many rows there are now."""
    grouped, params = _grouped_attendance_sql()
    outcome = EnrolmentOutcome._meta.db_table
    sql = f"""
        INSERT INTO {outcome}
            (enrolment_id, attended_sessions, attended_duration, first_attended_at, last_attended_at,
             is_first_delivery)
        SELECT e.id, w.attended, w.duration, w.first_start, w.last_start, w.first_start = w.programme_first
        FROM (SELECT t.*, MIN(t.first_start) OVER (PARTITION BY t.person) AS programme_first
              FROM ({grouped}) t) w
        JOIN {Enrolment._meta.db_table} e ON e.delivery_id = w.delivery AND e.participant_id = w.person
    """
    with transaction.atomic():
        EnrolmentOutcome.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount


def outcomes_ensure_fresh(*, now: datetime | None = None) -> bool:
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
            outcomes_refresh()
        deliveries_held_refresh(now)
        stamp.fingerprint, stamp.held_fingerprint = fingerprint, held_fingerprint
        stamp.refreshed_at = timezone.now()
        stamp.save()
    return True
