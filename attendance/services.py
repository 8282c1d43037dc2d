"""Writes for attendance: saving a roster, walk-ins, self check-in.

Every mark goes through `attendance_marks_save`, so the rules live in one
place: only enrolled participants, only known statuses, the whole submission
or nothing, a history entry for every real change and none for a repeat.
"""

import secrets
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.throttle import Budget, throttle_release, throttle_reserve, throttle_state
from core import audit
from core.localtime import format_local
from courses.models import Delivery, Enrolment, Organisation, Participant, Session
from courses.rules import active_enrolment_q, inactive_enrolment_refusal

from . import signals
from .models import (
    AttendanceChange,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    CheckInCode,
    SyncBatch,
)

# Messages that tests check.
NOT_ENROLLED = gettext_lazy("%(name)s is not enrolled in this delivery; nothing was saved.")
UNKNOWN_STATUS = gettext_lazy("“%(status)s” is not an attendance status; nothing was saved.")
NOTE_TOO_LONG = gettext_lazy("A note can be at most 300 characters; nothing was saved.")
SESSION_CANCELLED = gettext_lazy("This session was cancelled; attendance cannot be recorded for it.")
DELIVERY_CANCELLED = gettext_lazy("This delivery was cancelled; attendance cannot be recorded for it.")

WALK_IN_ALREADY_ON_ROSTER = gettext_lazy(
    "%(name)s is already on this roster. If this is another person, add a detail such as the father's name."
)
CHECK_IN_UNKNOWN_CODE = gettext_lazy("That code does not match any session. Check it with your trainer.")
CHECK_IN_THROTTLED = gettext_lazy("Too many wrong codes. Try again after %(time)s.")
CHECK_IN_NOT_YET = gettext_lazy("Check-in for this session opens at %(time)s.")
CHECK_IN_ENDED = gettext_lazy("This session ended at %(time)s; check-in is closed.")
CHECK_IN_CANCELLED = gettext_lazy("This session was cancelled.")
CHECK_IN_NOT_ENROLLED = gettext_lazy("You are not enrolled in this course. Ask your trainer to add you.")
CHECK_IN_NO_PARTICIPANT = gettext_lazy("Your account is not linked to a participant. Ask your trainer.")

NOTE_MAX_LENGTH = 300
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud in a noisy room or copied from a board stays unambiguous.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


@dataclass(frozen=True)
class Mark:
    """One participant's mark as submitted.

    `seen_version` is the record's version the form showed (0: it had no record); with
    `seen_status`/`seen_note` it tells an untouched row from a changed one when the
    record changed in between. None means "apply regardless" (check-in, scripts, phones).

    `taken_at` is when the mark was made, for a mark made on a phone before it reached the
    server; None means now. A mark taken before the one the server already holds does not
    replace it: it is kept in the history only ("superseded").
    """

    participant_id: int
    status: str
    note: str = ""
    seen_version: int | None = None
    seen_status: str = ""
    seen_note: str = ""
    taken_at: datetime | None = None


# What happened to each submitted mark (SaveResult.outcomes).
OUTCOME_SAVED, OUTCOME_UNCHANGED, OUTCOME_SUPERSEDED, OUTCOME_KEPT_NEWER = (
    "saved",
    "unchanged",
    "superseded",
    "kept_newer",
)


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Participants whose mark someone else changed after the form was loaded and whose row this
    # submission left untouched: their newer mark was kept.
    kept_newer: list[int] = field(default_factory=list)
    # Participants whose newer mark this submission replaced (the later mark wins; both are in the history).
    overrode: list[int] = field(default_factory=list)
    # Participants whose submitted mark matched the record already (no change, no history).
    unchanged_ids: list[int] = field(default_factory=list)
    # Participants whose submitted mark was taken before the record's: kept in the history only.
    superseded: list[int] = field(default_factory=list)
    # One OUTCOME_* per submitted mark, in the order given (then any "rest present" marks).
    outcomes: list[str] = field(default_factory=list)


def markable_participant_ids(*, delivery: Delivery) -> set[int]:
    return set(
        Enrolment.objects.filter(active_enrolment_q(), delivery=delivery).values_list(
            "participant_id", flat=True
        )
    )


def _validate_marks(*, session: Session, marks: list[Mark]) -> None:
    if session.delivery.status == Delivery.Status.CANCELLED:
        raise ValidationError(DELIVERY_CANCELLED)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(SESSION_CANCELLED)
    known = set(AttendanceStatus.values)
    for mark in marks:
        if mark.status not in known:
            raise ValidationError(UNKNOWN_STATUS % {"status": mark.status[:40]})
        if len(mark.note) > NOTE_MAX_LENGTH:
            raise ValidationError(NOTE_TOO_LONG)
    enrolled = markable_participant_ids(delivery=session.delivery)
    strangers = [mark.participant_id for mark in marks if mark.participant_id not in enrolled]
    if strangers:
        names = list(Participant.objects.filter(pk__in=strangers[:3]).values_list("full_name", flat=True))
        raise ValidationError(NOT_ENROLLED % {"name": ", ".join(names) or f"#{strangers[0]}"})


def _rest_present_marks(
    *, session: Session, marks: list[Mark], participant_ids: Collection[int]
) -> list[Mark]:
    """Present marks for the rows still unmarked at save time; called under the session's lock."""
    rest = set(participant_ids) - {mark.participant_id for mark in marks}
    rest &= markable_participant_ids(delivery=session.delivery)
    rest -= set(
        AttendanceRecord.objects.filter(session=session, participant_id__in=rest).values_list(
            "participant_id", flat=True
        )
    )
    return [Mark(participant_id=pid, status=AttendanceStatus.PRESENT, seen_version=0) for pid in sorted(rest)]


# The columns a save writes to a record that exists (its version is counted up apart), and how many
# different sets of values are written as one UPDATE each before a single bulk_update is cheaper.
RECORD_UPDATE_FIELDS = ("status", "note", "source", "recorded_by_id", "recorded_at", "taken_at")
MAX_GROUPED_UPDATES = 8


def _update_records(records: list[AttendanceRecord], read_versions: dict[int, int]) -> None:
    """Write changed records in a fixed number of queries however many there are.

    A roster saved from the web gives most rows the same values (a status, no note, one time), so
    the records are written as one `UPDATE … WHERE id IN (…)` per set of values: Django's bulk_update
    builds a CASE of one branch per row and field, and for 40 rows compiling it took more Python
    than the rest of the save (issue 18). Versions differ from row to row, so each is counted up
    in the database by as many changes as this save made to it (`read_versions` holds the versions
    read under the session's lock). A phone's queue stamps each mark with its own time, so when
    there are more than MAX_GROUPED_UPDATES sets the one bulk_update is used instead.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    for record in records:
        values = tuple(getattr(record, name) for name in RECORD_UPDATE_FIELDS)
        groups[(values, record.version - read_versions[record.pk])].append(record.pk)
    if len(groups) > MAX_GROUPED_UPDATES:
        fields = [name.removesuffix("_id") for name in RECORD_UPDATE_FIELDS]
        AttendanceRecord.objects.bulk_update(records, [*fields, "version"])
        return
    for (values, version_step), pks in groups.items():
        AttendanceRecord.objects.filter(pk__in=pks).update(
            **dict(zip(RECORD_UPDATE_FIELDS, values, strict=True)), version=F("version") + version_step
        )


@transaction.atomic
def attendance_marks_save(
    *,
    session: Session,
    marks: list[Mark],
    recorded_by: User | None,
    source: str,
    rest_present: Collection[int] = (),
) -> SaveResult:
    """Save a whole roster in one transaction and a fixed number of queries, whatever its size.

    The session row is locked first, so two people saving the same session take turns
    (on PostgreSQL; SQLite serialises writers anyway) and the second sees the first's marks.
    Per participant the later mark wins, except that a row the later person did not touch
    keeps the newer mark, so nobody's change is lost; every change is in the history.
    Validation (bulk writes skip `full_clean`) is done up front: all or nothing.

    `rest_present` names the rows the form showed unmarked and left alone ("set the rest
    present"): each is marked present in this same save, unless it has a mark by now (a
    check-in, another trainer) or is no longer enrolled. So the exceptions and the rest are
    one change per person in the history, never "present → absent", and a mark made after
    the page was loaded is not overwritten by a button press.

    Marks carrying `taken_at` (phones) are compared by when they were taken: an older one than
    the record's is written to the history as superseded and leaves the record alone. The same
    participant may appear more than once (a phone's queue); the marks apply in the order given.
    """
    if source not in AttendanceSource.values:
        raise ValidationError(UNKNOWN_STATUS % {"status": source})
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True).first()
    # The delivery's status as of now (it may have been completed or cancelled since the page loaded).
    session.delivery.refresh_from_db(fields=["status"])
    if rest_present:
        marks = [*marks, *_rest_present_marks(session=session, marks=marks, participant_ids=rest_present)]
    _validate_marks(session=session, marks=marks)

    now = timezone.now()
    existing = {
        record.participant_id: record
        for record in AttendanceRecord.objects.filter(
            session=session, participant_id__in=[mark.participant_id for mark in marks]
        )
    }
    read_versions = {record.pk: record.version for record in existing.values()}
    result = SaveResult()
    to_create, changes = [], []
    to_update: dict[int, AttendanceRecord] = {}
    for mark in marks:
        record = existing.get(mark.participant_id)
        current_version = record.version if record else 0
        concurrent = mark.seen_version is not None and mark.seen_version != current_version
        taken_at = mark.taken_at or now
        if concurrent and (mark.status, mark.note) == (mark.seen_status, mark.seen_note):
            # Someone else changed this row after the form was loaded and this person left it alone.
            result.kept_newer.append(mark.participant_id)
            result.outcomes.append(OUTCOME_KEPT_NEWER)
            continue
        if record and (record.status, record.note) == (mark.status, mark.note):
            result.unchanged += 1
            result.unchanged_ids.append(mark.participant_id)
            result.outcomes.append(OUTCOME_UNCHANGED)
            continue
        change = AttendanceChange(
            session=session,
            participant_id=mark.participant_id,
            old_status=record.status if record else "",
            new_status=mark.status,
            old_note=record.note if record else "",
            new_note=mark.note,
            source=source,
            changed_by=recorded_by,
            changed_at=now,
            taken_at=taken_at,
        )
        changes.append(change)
        if record and (record.taken_at or record.recorded_at) > taken_at:
            # A later mark is already here: this one goes to the history only, the record stays.
            change.superseded = True
            result.superseded.append(mark.participant_id)
            result.outcomes.append(OUTCOME_SUPERSEDED)
            continue
        change.overrode_concurrent_change = concurrent
        result.outcomes.append(OUTCOME_SAVED)
        if concurrent:
            result.overrode.append(mark.participant_id)
        if record is None:
            record = AttendanceRecord(
                session=session,
                participant_id=mark.participant_id,
                status=mark.status,
                note=mark.note,
                source=source,
                recorded_by=recorded_by,
                recorded_at=now,
                taken_at=taken_at,
                version=1,
            )
            # A second mark for the same person in this save (a phone's queue) changes this one.
            existing[mark.participant_id] = record
            to_create.append(record)
        else:
            record.status, record.note, record.source = mark.status, mark.note, source
            record.recorded_by, record.recorded_at, record.taken_at = recorded_by, now, taken_at
            if record.pk is not None:
                record.version += 1
                to_update[record.pk] = record
    if to_create:
        AttendanceRecord.objects.bulk_create(to_create)
    updated = list(to_update.values())
    _update_records(updated, read_versions)
    # Bulk writes send no model signals: the audit trail is written here, in one query.
    audit.record_many(action=audit.AuditAction.CREATE, instances=to_create, actor=recorded_by)
    audit.record_many(action=audit.AuditAction.UPDATE, instances=updated, actor=recorded_by)
    if changes:
        AttendanceChange.objects.bulk_create(changes)
    if (to_create or updated) and session.delivery.status == Delivery.Status.COMPLETED:
        # A correction after completion: the people concerned are decided again (assessments).
        signals.marks_changed_after_completion.send(
            sender=AttendanceRecord,
            session=session,
            participant_ids=sorted({change.participant_id for change in changes if not change.superseded}),
            changed_by=recorded_by,
        )
    result.created, result.updated = len(to_create), len(updated)
    return result


@transaction.atomic
def walk_in_create(
    *,
    session: Session,
    full_name: str,
    sex: str,
    audience: str,
    position: str = "",
    organisation: Organisation | None = None,
    recorded_by: User | None,
) -> Participant:
    """Someone who turned up without being enrolled: a participant, an enrolment and a "present" mark."""
    delivery = session.delivery
    full_name = " ".join(full_name.split())
    # A double tap on a slow connection must not enrol the same person twice.
    # Compared in Python: SQLite folds the case of ASCII letters only, not Cyrillic.
    names = Enrolment.objects.filter(delivery=delivery).values_list("participant__full_name", flat=True)
    if full_name.casefold() in {" ".join(name.split()).casefold() for name in names}:
        raise ValidationError(WALK_IN_ALREADY_ON_ROSTER % {"name": full_name})
    participant = Participant(
        full_name=full_name,
        sex=sex,
        audience=audience,
        position=position.strip(),
        organisation=organisation,
        region=delivery.region,
    )
    participant.full_clean()
    participant.save()
    enrolment = Enrolment(delivery=delivery, participant=participant, audience=audience)
    enrolment.full_clean()
    enrolment.save()
    attendance_marks_save(
        session=session,
        marks=[Mark(participant_id=participant.pk, status=AttendanceStatus.PRESENT, note=_("Walk-in"))],
        recorded_by=recorded_by,
        source=AttendanceSource.WEB,
    )
    return participant


def check_in_code_for(*, session: Session) -> CheckInCode:
    """The session's code, made on first use. Codes are random, so one cannot be guessed from another."""
    existing = CheckInCode.objects.filter(session=session).first()
    if existing:
        return existing
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not CheckInCode.objects.filter(code=code).exists():
            break
    check_in_code, _created = CheckInCode.objects.get_or_create(session=session, defaults={"code": code})
    return check_in_code


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).upper().replace("-", "")


def check_in_opens_before() -> timedelta:
    return timedelta(minutes=getattr(settings, "HAMKORI_CHECK_IN_OPENS_MINUTES_BEFORE", 30))


def check_in_late_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "HAMKORI_CHECK_IN_LATE_AFTER_MINUTES", 15))


def check_in_max_failures() -> int:
    return getattr(settings, "HAMKORI_CHECK_IN_MAX_FAILURES", 5)


def check_in_failure_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "HAMKORI_CHECK_IN_FAILURE_WINDOW_MINUTES", 30))


def _local_time(moment: datetime, session: Session) -> str:
    return format_local(moment, session.delivery.region)


# Wrong check-in codes are counted per user with the shared guessing throttle (accounts.throttle).
CHECK_IN_THROTTLE_SCOPE = "check-in"


def _check_in_throttle(user: User) -> list[Budget]:
    return [
        Budget(
            scope=CHECK_IN_THROTTLE_SCOPE,
            key=str(user.pk),
            failures=check_in_max_failures(),
            window=check_in_failure_window(),
        )
    ]


def check_in_blocked_until(*, user: User, now: datetime | None = None) -> datetime | None:
    """When a throttled user may try again, or None when they may try now."""
    return throttle_state(budgets=_check_in_throttle(user), now=now).retry_after


@dataclass(frozen=True)
class CheckInResult:
    session: Session
    status: str
    already: bool


def check_in_record(*, user: User, code: str, now: datetime | None = None) -> CheckInResult:
    """A trainee checks in with the session's code: present, or late after the grace period.

    Wrong codes are counted per user in the database; after too many the user waits.
    A trainer's earlier mark is never overwritten by a check-in. Not one transaction on
    purpose: a wrong code's failure row must stay when the refusal is raised.
    """
    now = now or timezone.now()
    # Reserved before the code is looked up, so parallel guesses cannot all pass the check.
    blocked_until = throttle_reserve(budgets=_check_in_throttle(user), now=now).retry_after
    if blocked_until:
        # In the trainee's own region's time, which is what their phone shows.
        participant = Participant.objects.select_related("region").filter(user=user).first()
        zone = participant.region.zone if participant else None
        local = timezone.localtime(blocked_until, zone)
        raise ValidationError(CHECK_IN_THROTTLED % {"time": formats.time_format(local, "H:i")})
    check_in_code = (
        CheckInCode.objects.select_related("session__delivery__region")
        .filter(code=normalise_code(code))
        .first()
    )
    if check_in_code is None:
        raise ValidationError(CHECK_IN_UNKNOWN_CODE)  # a wrong guess: its reservation stays
    throttle_release(budgets=_check_in_throttle(user))  # a real code is not a guess
    session = check_in_code.session
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(CHECK_IN_CANCELLED)
    opens_at = session.starts_at - check_in_opens_before()
    if now < opens_at:
        raise ValidationError(CHECK_IN_NOT_YET % {"time": _local_time(opens_at, session)})
    if now > session.ends_at:
        raise ValidationError(CHECK_IN_ENDED % {"time": _local_time(session.ends_at, session)})
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        raise ValidationError(CHECK_IN_NO_PARTICIPANT)
    if participant.pk not in markable_participant_ids(delivery=session.delivery):
        enrolment = Enrolment.objects.filter(delivery=session.delivery, participant=participant).first()
        if enrolment is None:
            raise ValidationError(CHECK_IN_NOT_ENROLLED)
        raise ValidationError(inactive_enrolment_refusal(enrolment.status))
    record = AttendanceRecord.objects.filter(session=session, participant=participant).first()
    if record:
        return CheckInResult(session=session, status=record.status, already=True)
    status = (
        AttendanceStatus.LATE if now > session.starts_at + check_in_late_after() else AttendanceStatus.PRESENT
    )
    attendance_marks_save(
        session=session,
        marks=[Mark(participant_id=participant.pk, status=status)],
        recorded_by=user,
        source=AttendanceSource.SELF_CHECK_IN,
    )
    return CheckInResult(session=session, status=status, already=False)


def sync_batches_purge(*, older_than_days: int, now=None) -> int:
    """Delete offline sync batches received more than `older_than_days` ago; returns how many.

    A batch is kept only so that a phone repeating it (its connection dropped after the server
    applied it) gets the first answer back instead of writing twice. Phones resend within
    minutes or days; after that the row is history the marks and their changes already hold.
    """
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _counts = SyncBatch.objects.filter(created_at__lt=cutoff).delete()
    return deleted
