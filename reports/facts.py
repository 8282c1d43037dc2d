"""The fact table behind every report figure: built from the programme's records, kept up to date incrementally.

Why a table: a report over ten years counts 250,000 enrolments with what each
participant attended (a million marks), scored and was certified, broken down by
sex, audience, organisation type and region. Joining and grouping all that per
figure took seconds each; `EnrolmentFact` holds it as one narrow row per active
enrolment, so a figure is one scan of one table.

How it follows the records. The rows rest on marks, sessions, enrolments, participants,
organisations, deliveries, courses' minimum attendance, test attempts and certificates,
written by apps below reports that may not call up into it, and by `bulk_create` /
`update` in imports, merges, erasure and tests. So the database itself notes every write:
triggers on those tables (reports/triggers.py, installed by migration 0006 and re-checked
after every migrate) add the (delivery, participant) it concerns to `FactChange`. Before a
report, `facts_ensure_fresh` drains that table and rewrites only the facts named there, in
a fixed number of statements whatever their number (one DELETE, one INSERT … SELECT
filtered by enrolment, one UPDATE of the "first delivery" flag of the people concerned):
the first report after a roster save waits milliseconds, not the 8 s of a full rebuild.

Why triggers rather than watermarks (ids, changed-at columns): a watermark cannot see a
delete, nor a bulk `update()` that leaves the changed-at column alone, so every delete
would have meant a full rebuild, and each source table would need a changed-at column kept
by every writer. A trigger sees every write path, costs one indexed INSERT OR IGNORE per
row on SQLite and one INSERT … SELECT DISTINCT per statement on PostgreSQL, and names
exactly the deliveries and participants concerned. Too many changes at once (an import,
a generated programme: more than CHANGES_LIMIT noted or ENROLMENTS_LIMIT facts concerned),
the (0, 0) change the migrations queue, or a first build, and the drain rebuilds everything.

Readers never wait for a refresh. The one ReportRefresh row is the refresh lock; a report
takes it with SKIP LOCKED (PostgreSQL), so when another refresh holds it — a full rebuild
by `manage.py refresh_report_tables --force` or the background task — the report is served
from the last complete table, whose rows the rebuild (DELETE + INSERT in one transaction,
never TRUNCATE) leaves readable, with "Figures as of <refreshed_at>". A full rebuild also
marks `rebuild_started_at` before it starts, so that SQLite (one writer at a time) readers
skip the drain rather than wait for the write lock, and no reader starts a second refresh.

The cheap path stays one small query: the stamp, whether any change is noted, and how many
sessions are held by the report's `now`.

What a row does not decide: anything that changes with the clock. Sessions "held" are
those that have started; the held count per delivery is brought up to the report's
moment by `deliveries_held_refresh` (only the deliveries whose count moved are
rewritten), and a row whose last attended session has not started yet falls back to
counting the marks (see reports.selectors).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import OperationalError, connection, transaction
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Attempt, Certificate, Phase
from assessments.rules import score_percent_expression
from attendance.models import AttendanceRecord
from attendance.rules import attended_statuses
from core.database import statements_planned_each_time
from courses.models import Delivery, Enrolment, Organisation, Participant, Session
from courses.rules import ACTIVE_ENROLMENT_STATUSES, held_session_q, planned_session_q
from curriculum.models import CoursePage

from .models import DeliveryHeld, EnrolmentFact, FactChange, ReportRefresh

# Beyond these a drain rebuilds everything: one full pass (8 s at ten years' size) beats
# statements with tens of thousands of ids (and SQLite allows 32,766 parameters per statement).
CHANGES_LIMIT = 5_000
ENROLMENTS_LIMIT = 4_000
# A rebuild marked as started longer ago than this died without clearing its mark.
REBUILD_ABANDONED_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class Freshness:
    """What bringing the tables up to date did: `refreshed` when it rewrote anything; `as_of` set when
    it could not (another refresh is running), to the moment the tables last held every change."""

    refreshed: bool
    as_of: datetime | None = None
    # When the tables are known to be up to date: which state they are in (the last refresh's
    # moment and the sessions held then), to key what is computed from them. None otherwise.
    version: tuple | None = None


def _held_sessions(now: datetime):
    return Session.objects.filter(held_session_q(now=now))


def _count(queryset) -> Subquery:
    """A COUNT(*) scalar subquery (COUNT as a plain function, so Django adds no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _state(now: datetime) -> dict | None:
    """The stamp, whether a change is waiting, and the sessions held by `now`: one query. None: no stamp."""
    return (
        ReportRefresh.objects.filter(pk=1)
        .annotate(changes_noted=Exists(FactChange.objects.all()), held_now=_count(_held_sessions(now)))
        .values("refreshed_at", "held_sessions", "rebuild_started_at", "changes_noted", "held_now")
        .first()
    )


def _held_refresh(now: datetime, *, update_facts: bool) -> tuple[int, int]:
    """Bring DeliveryHeld (and the facts' held counts) up to `now`: (deliveries whose count moved, sessions held)."""
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
        return 0, sum(held_now.values())
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
    return len(moved), sum(held_now.values())


def deliveries_held_refresh(now: datetime, *, update_facts: bool = True) -> int:
    """Bring DeliveryHeld and the facts' held counts up to `now`; returns how many deliveries' counts moved.

    Most calls find a handful of deliveries whose session has just started, so only
    their facts are rewritten (by the delivery index), not the whole table. A fixed
    number of statements whatever the data size.
    """
    return _held_refresh(now, update_facts=update_facts)[0]


def _grouped_attendance_sql(participants: list[int] | None = None) -> tuple[str, tuple]:
    """Per delivery and participant: attended marks at sessions not cancelled, their duration, first and last start."""
    marks = AttendanceRecord.objects.filter(planned_session_q("session__"), status__in=attended_statuses())
    if participants is not None:
        marks = marks.filter(participant_id__in=participants)
    grouped = (
        marks.values(delivery=F("session__delivery_id"), person=F("participant_id"))
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


def _scores_sql(phase: str, participants: list[int] | None = None) -> tuple[str, tuple]:
    """Submitted attempts of one phase with a score out of something: delivery, participant, percent."""
    attempts = Attempt.objects.filter(phase=phase, status=Attempt.Status.SUBMITTED, max_score__gt=0)
    if participants is not None:
        attempts = attempts.filter(participant_id__in=participants)
    scores = (
        attempts.values("delivery_id", "participant_id")
        .annotate(percent=score_percent_expression())
        .values("delivery_id", "participant_id", "percent")
        .order_by()
    )
    return scores.query.sql_with_params()


FACT_COLUMNS = """enrolment_id, participant_id, delivery_id, country_id, region_id, audience, sex,
    organisation_type, enrolment_completed, in_training, minimum_attendance_percent, held_sessions,
    pre_percent, post_percent, certified, generation, attended_sessions, attended_duration,
    first_attended_at, last_attended_at, is_first_delivery"""

COPIED_COLUMNS = """e.id, e.participant_id, e.delivery_id, d.country_id, d.region_id, e.audience, p.sex,
    COALESCE(o.type, ''), e.status = %s, e.status = %s, c.minimum_attendance_percent,
    COALESCE(h.held_sessions, 0), pre.percent, post.percent, cert.id IS NOT NULL, %s"""


def _joins(participants: list[int] | None = None) -> tuple[str, list]:
    """What a fact copies besides the marks, joined to the enrolment `e` (scores read only for `participants`)."""
    pre, pre_params = _scores_sql(Phase.PRE, participants)
    post, post_params = _scores_sql(Phase.POST, participants)
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
    return joins, [*pre_params, *post_params]


def _copied_params(generation: int) -> list:
    # "Trained" is the stored decision (completed); "in training" an enrolment not decided yet.
    return [Enrolment.Status.COMPLETED, Enrolment.Status.ENROLLED, generation]


def _facts_insert_sql(generation: int) -> list[tuple[str, list]]:
    """The two INSERT … SELECT statements that build every fact row from its sources.

    The first makes the rows of enrolments with an attended mark, driven by the marks grouped
    per delivery and participant; the second the rows of the other active enrolments. Two
    statements because joining every enrolment to the grouped marks (a derived table without
    an index) makes SQLite scan the groups once per enrolment.
    """
    grouped, grouped_params = _grouped_attendance_sql()
    joins, join_params = _joins()
    active = ", ".join(["%s"] * len(ACTIVE_ENROLMENT_STATUSES))
    fact = EnrolmentFact._meta.db_table
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
    copied = _copied_params(generation)
    return [
        (attended, [*copied, *grouped_params, *join_params, *ACTIVE_ENROLMENT_STATUSES]),
        (not_attended, [*copied, *join_params, *ACTIVE_ENROLMENT_STATUSES]),
    ]


def _tune_for_grouping(cursor) -> None:
    if connection.vendor == "postgresql":
        # Grouping a million marks: sorts in memory, no JIT (measured 6.2 s → 5.7 s).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")


def _rebuild(now: datetime, generation: int) -> tuple[int, int]:
    """Every fact row again (the caller holds the refresh lock): (rows, sessions held)."""
    fact = EnrolmentFact._meta.db_table
    with connection.cursor() as cursor:
        _tune_for_grouping(cursor)
        # DELETE, not TRUNCATE: TRUNCATE locks the table against readers until the commit;
        # after a DELETE they go on reading the old rows (PostgreSQL's MVCC, SQLite's WAL or
        # until the commit). The dead rows are vacuumed after the commit (facts_refresh).
        cursor.execute(f"DELETE FROM {fact}")
    _, held_total = _held_refresh(now, update_facts=False)
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in _facts_insert_sql(generation):
            cursor.execute(sql, params)
            rows += cursor.rowcount
            if connection.vendor == "postgresql":
                # The planner's row estimates for the new rows: the second statement reads the
                # table the first filled (NOT EXISTS), and reports read it after.
                cursor.execute(f"ANALYZE {fact}")
    return rows, held_total


def _claim_changes() -> set[tuple[int, int]] | None:
    """Take every change noted so far (a DELETE in the refresh's transaction); None when there are too
    many to rewrite one by one (then they are taken all the same, for a full rebuild).

    Taken first, so a write committed after this point notes its change again for the next
    drain; a write committed before it is seen by the statements that follow (each reads the
    committed data anew on PostgreSQL; SQLite has one writer at a time).
    """
    table = FactChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT %s) c", [CHANGES_LIMIT + 1])
        if cursor.fetchone()[0] > CHANGES_LIMIT:
            cursor.execute(f"DELETE FROM {table}")
            return None
        cursor.execute(f"DELETE FROM {table} RETURNING delivery_id, participant_id")
        changes = {(delivery, participant) for delivery, participant in cursor.fetchall()}
    return None if len(changes) > CHANGES_LIMIT else changes


def _concerned(changes: set[tuple[int, int]]) -> Q:
    """On a row with delivery_id and participant_id: a fact the changes name (0 = every)."""
    whole_deliveries = sorted({delivery for delivery, participant in changes if participant == 0})
    whole_people = sorted({participant for delivery, participant in changes if delivery == 0})
    pairs = [(delivery, participant) for delivery, participant in changes if delivery and participant]
    # The pairs as deliveries × people: exact for a roster (one delivery), a harmless superset
    # otherwise, and a condition both databases answer from the delivery index.
    condition = Q(pk__in=[])
    if whole_deliveries:
        condition |= Q(delivery_id__in=whole_deliveries)
    if whole_people:
        condition |= Q(participant_id__in=whole_people)
    if pairs:
        condition |= Q(
            delivery_id__in=sorted({delivery for delivery, _ in pairs}),
            participant_id__in=sorted({participant for _, participant in pairs}),
        )
    return condition


def _rewrite(changes: set[tuple[int, int]], generation: int) -> bool:
    """Rewrite the facts the changes name; False (nothing written) when there are too many for one pass.

    Statements: the enrolments concerned, the people with marks in wholly changed deliveries,
    one DELETE, one INSERT … SELECT, one UPDATE of the first-delivery flags — the same number
    for one changed delivery as for fifty.
    """
    concerned = _concerned(changes)
    enrolments = list(
        Enrolment.objects.filter(concerned, status__in=ACTIVE_ENROLMENT_STATUSES)
        .order_by()
        .values_list("pk", "participant_id")
    )
    if len(enrolments) > ENROLMENTS_LIMIT:
        return False
    # Whose first attended session may have moved: everyone named, everyone rewritten, and
    # whoever has marks in a delivery changed as a whole (a cancelled session, say), enrolled
    # or not: marks of a withdrawn enrolment count for "first delivery" too.
    people = {participant for _, participant in enrolments}
    people |= {participant for _, participant in changes if participant}
    whole_deliveries = [delivery for delivery, participant in changes if participant == 0 and delivery]
    if whole_deliveries:
        people |= set(
            AttendanceRecord.objects.filter(session__delivery_id__in=whole_deliveries)
            .order_by()
            .values_list("participant_id", flat=True)
            .distinct()
        )
    EnrolmentFact.objects.filter(concerned).delete()
    if enrolments:
        _insert_facts([pk for pk, _ in enrolments], sorted(people), generation)
    if people:
        _first_delivery_update(sorted(people))
    return True


def _insert_facts(enrolment_ids: list[int], people: list[int], generation: int) -> None:
    """The fact rows of these enrolments, in one INSERT … SELECT (their "first delivery" flag is set after)."""
    grouped, grouped_params = _grouped_attendance_sql(people)
    joins, join_params = _joins(people)
    ids = ", ".join(["%s"] * len(enrolment_ids))
    sql = f"""
        INSERT INTO {EnrolmentFact._meta.db_table} ({FACT_COLUMNS})
        SELECT {COPIED_COLUMNS}, COALESCE(w.attended, 0), w.duration, w.first_start, w.last_start, FALSE
        FROM {Enrolment._meta.db_table} e
        {joins}
        LEFT JOIN ({grouped}) w ON w.delivery = e.delivery_id AND w.person = e.participant_id
        WHERE e.id IN ({ids})"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_copied_params(generation), *join_params, *grouped_params, *enrolment_ids])


def _first_delivery_update(people: list[int]) -> None:
    """Set is_first_delivery on these people's facts where it is wrong: the delivery of their first attended start.

    Only rows whose flag changes are written, so a person's facts in other deliveries stay
    untouched unless their first delivery really moved.
    """
    firsts = (
        AttendanceRecord.objects.filter(
            planned_session_q("session__"), status__in=attended_statuses(), participant_id__in=people
        )
        .values("participant_id")
        .annotate(first_start=Min("session__starts_at"))
        .values("participant_id", "first_start")
        .order_by()
    )
    firsts_sql, params = firsts.query.sql_with_params()
    fact = EnrolmentFact._meta.db_table
    correct = f"CASE WHEN {fact}.first_attended_at = pf.first_start THEN TRUE ELSE FALSE END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {fact} SET is_first_delivery = {correct}
                FROM ({firsts_sql}) pf
                WHERE {fact}.participant_id = pf.participant_id AND {fact}.is_first_delivery <> {correct}""",
            params,
        )


def _lock_stamp(*, wait: bool) -> ReportRefresh | None:
    """The stamp row, locked for this transaction; None when `wait` is False and another refresh holds it.

    SQLite has no row locks: a no-op write takes the database's write lock first, so two
    drains queue (briefly) instead of one failing to upgrade its read lock to a write.
    """
    if connection.vendor == "sqlite":
        ReportRefresh.objects.filter(pk=1).update(generation=F("generation"))
    stamp = ReportRefresh.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if stamp is not None:
        return stamp
    if ReportRefresh.objects.filter(pk=1).exists():
        return None  # another refresh holds it
    # The migration makes the one row; a flushed test database has lost it.
    ReportRefresh.objects.get_or_create(pk=1, defaults={"refreshed_at": timezone.now()})
    return ReportRefresh.objects.select_for_update().get(pk=1)


def _stamp_save(stamp: ReportRefresh, *, refreshed_at: datetime, held_sessions: int, generation: int) -> None:
    ReportRefresh.objects.filter(pk=stamp.pk).update(
        refreshed_at=refreshed_at,
        held_sessions=held_sessions,
        generation=generation,
        rebuild_started_at=None,
    )


def _rebuild_is_running(state: dict) -> bool:
    started = state["rebuild_started_at"]
    return started is not None and timezone.now() - started < REBUILD_ABANDONED_AFTER


def facts_freshen(*, now: datetime | None = None) -> Freshness:
    """Bring the report tables up to date for a report made at `now`, without ever waiting for another refresh.

    Nothing changed (no change noted, the same number of sessions held): one query, nothing
    written. Changes noted: their facts rewritten (and the held counts brought to `now`).
    Only the clock moved past a session's start: the held counts of the deliveries concerned.
    Another refresh running (a full rebuild, or a drain on another connection): nothing done,
    and `as_of` says when the tables last held every change.
    """
    now = now or timezone.now()
    state = _state(now)
    if state is not None:
        if not state["changes_noted"] and state["held_now"] == state["held_sessions"]:
            version = (state["refreshed_at"], state["held_sessions"]) if state["refreshed_at"] else None
            return Freshness(refreshed=False, version=version)
        if _rebuild_is_running(state):
            return Freshness(refreshed=False, as_of=state["refreshed_at"])
    try:
        return _drain(now)
    except OperationalError as error:
        # SQLite: another connection kept the write lock past the busy timeout (a rebuild
        # started between our check and our write). Serve the last complete tables.
        if connection.vendor != "sqlite" or "locked" not in str(error):
            raise
        stamp = ReportRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
        return Freshness(refreshed=False, as_of=stamp)


@statements_planned_each_time()
def _drain(now: datetime) -> Freshness:
    with transaction.atomic():
        stamp = _lock_stamp(wait=False)
        if stamp is None:
            refreshed_at = ReportRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
            return Freshness(refreshed=False, as_of=refreshed_at)
        claimed_at = timezone.now()
        changes = _claim_changes()
        generation = stamp.generation + 1
        full = stamp.held_sessions < 0 or changes is None or (0, 0) in changes
        if not full:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")  # small statements; JIT only costs here
            moved, held_total = _held_refresh(now, update_facts=True)
            if not changes and not moved and held_total == stamp.held_sessions:
                return Freshness(refreshed=False)  # another connection drained it meanwhile
            full = not _rewrite(changes, generation)
        if full:
            _, held_total = _rebuild(now, generation)
        _stamp_save(stamp, refreshed_at=claimed_at, held_sessions=held_total, generation=generation)
    return Freshness(refreshed=True, version=(claimed_at, held_total))


def facts_ensure_fresh(*, now: datetime | None = None) -> bool:
    """Bring the report tables up to date for a report made at `now` (see facts_freshen); True when
    something was rewritten."""
    return facts_freshen(now=now).refreshed


@statements_planned_each_time()
def facts_refresh(now: datetime | None = None) -> int:
    """Rebuild every fact row (held counts first); returns how many rows there are now.

    Readers are not blocked meanwhile: they see the previous rows until the commit and, as
    `rebuild_started_at` is set first, do not start a refresh of their own. A second full
    rebuild waits for the first (the stamp's row lock) and then runs again.
    """
    now = now or timezone.now()
    # Outside a transaction this commits at once, so every other connection sees it.
    ReportRefresh.objects.filter(pk=1).update(rebuild_started_at=timezone.now())
    try:
        with transaction.atomic():
            stamp = _lock_stamp(wait=True)
            claimed_at = timezone.now()
            FactChange.objects.all().delete()
            generation = stamp.generation + 1
            rows, held_total = _rebuild(now, generation)
            _stamp_save(stamp, refreshed_at=claimed_at, held_sessions=held_total, generation=generation)
    except BaseException:
        if not connection.in_atomic_block:
            ReportRefresh.objects.filter(pk=1).update(rebuild_started_at=None)
        raise
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The DELETE left every old row dead; a report reading past 250,000 of them until
        # autovacuum came measured 0.9 s → 1.7 s. VACUUM cannot run inside a transaction.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {EnrolmentFact._meta.db_table}")
    return rows
