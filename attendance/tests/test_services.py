import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from attendance.models import AttendanceChange, AttendanceRecord, AttendanceSource, AttendanceStatus
from attendance.services import (
    MAX_GROUPED_UPDATES,
    NOT_ENROLLED,
    Mark,
    attendance_marks_save,
    walk_in_create,
)
from core.enums import Audience, Sex
from courses.models import Enrolment, Session
from courses.tests.factories import ParticipantFactory

from .factories import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def test_database_keeps_one_record_per_session_and_participant():
    roster = make_roster(1)
    fields = {
        "session": roster.session,
        "participant": roster.participants[0],
        "status": AttendanceStatus.PRESENT,
        "source": AttendanceSource.WEB,
        "recorded_at": timezone.now(),
    }
    AttendanceRecord.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(**fields)


def test_database_refuses_an_unknown_status():
    roster = make_roster(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(
            session=roster.session,
            participant=roster.participants[0],
            status="asleep",
            source=AttendanceSource.WEB,
            recorded_at=timezone.now(),
        )


def test_saving_a_roster_creates_records_and_history(trainer):
    roster = make_roster(3)
    marks = [Mark(participant_id=p.pk, status=AttendanceStatus.PRESENT) for p in roster.participants]
    result = attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
    assert result.created == 3
    assert AttendanceRecord.objects.filter(session=roster.session, recorded_by=trainer).count() == 3
    assert (
        AttendanceChange.objects.filter(session=roster.session, old_status="", new_status="present").count()
        == 3
    )


def test_repeated_submit_changes_nothing_and_adds_no_history(trainer):
    roster = make_roster(2)
    marks = [
        Mark(participant_id=p.pk, status=AttendanceStatus.LATE, seen_version=0) for p in roster.participants
    ]
    attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
    before = list(AttendanceRecord.objects.values_list("pk", "status", "version", "recorded_at"))
    again = attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
    assert again.created == again.updated == 0
    assert list(AttendanceRecord.objects.values_list("pk", "status", "version", "recorded_at")) == before
    assert AttendanceChange.objects.count() == 2


def test_a_change_is_kept_in_the_history_with_old_and_new(trainer, make_user):
    roster = make_roster(1)
    pid = roster.participants[0].pk
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=pid, status="absent")],
        recorded_by=trainer,
        source="paper",
    )
    coordinator = make_user(Role.REGIONAL_COORDINATOR)
    attendance_marks_save(
        session=roster.session,
        marks=[
            Mark(participant_id=pid, status="excused", note="болен", seen_version=1, seen_status="absent")
        ],
        recorded_by=coordinator,
        source="web",
    )
    change = AttendanceChange.objects.order_by("-pk").first()
    assert (change.old_status, change.new_status, change.new_note) == ("absent", "excused", "болен")
    assert change.changed_by == coordinator and change.source == "web"
    record = AttendanceRecord.objects.get()
    assert (record.status, record.version) == ("excused", 2)


def test_later_mark_wins_and_an_untouched_stale_row_keeps_the_newer_mark(trainer, make_user):
    roster = make_roster(2)
    first, second = (p.pk for p in roster.participants)
    other = make_user(Role.TRAINER)
    # Both load the page with nothing marked (version 0). The other trainer saves first.
    attendance_marks_save(
        session=roster.session,
        marks=[
            Mark(participant_id=first, status="late", seen_version=0),
            Mark(participant_id=second, status="absent", seen_version=0),
        ],
        recorded_by=other,
        source="web",
    )
    # This trainer changed `first` on their stale form and left `second` as they saw it (unmarked).
    result = attendance_marks_save(
        session=roster.session,
        marks=[
            Mark(participant_id=first, status="excused", seen_version=0),
            Mark(participant_id=second, status="absent", seen_version=0),
        ],
        recorded_by=trainer,
        source="web",
    )
    assert result.overrode == [first]
    statuses = dict(AttendanceRecord.objects.values_list("participant_id", "status"))
    assert statuses == {first: "excused", second: "absent"}
    history = list(
        AttendanceChange.objects.filter(participant_id=first)
        .order_by("pk")
        .values_list("new_status", "changed_by")
    )
    assert history == [("late", other.pk), ("excused", trainer.pk)]


def test_untouched_row_on_a_stale_form_does_not_overwrite_a_newer_mark(trainer, make_user):
    roster = make_roster(1)
    pid = roster.participants[0].pk
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=pid, status="present")],
        recorded_by=trainer,
        source="web",
    )
    other = make_user(Role.TRAINER)
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=pid, status="absent", seen_version=1, seen_status="present")],
        recorded_by=other,
        source="web",
    )
    # The trainer's form still shows version 1, "present", and they did not touch the row.
    result = attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=pid, status="present", seen_version=1, seen_status="present")],
        recorded_by=trainer,
        source="web",
    )
    assert result.kept_newer == [pid]
    assert AttendanceRecord.objects.get().status == "absent"


def test_mark_for_someone_not_enrolled_is_refused_and_nothing_saved(trainer):
    roster = make_roster(2)
    stranger = ParticipantFactory(full_name="Ғафуров Ӯктам")
    marks = [
        Mark(participant_id=roster.participants[0].pk, status="present"),
        Mark(participant_id=stranger.pk, status="present"),
    ]
    with pytest.raises(ValidationError) as error:
        attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
    assert error.value.messages == [str(NOT_ENROLLED % {"name": "Ғафуров Ӯктам"})]
    assert not AttendanceRecord.objects.exists()


def test_withdrawn_participant_cannot_be_marked(trainer):
    roster = make_roster(1)
    Enrolment.objects.update(status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(ValidationError):
        attendance_marks_save(
            session=roster.session,
            marks=[Mark(participant_id=roster.participants[0].pk, status="present")],
            recorded_by=trainer,
            source="web",
        )


def test_unknown_status_is_refused_and_nothing_saved(trainer):
    roster = make_roster(2)
    marks = [
        Mark(participant_id=roster.participants[0].pk, status="present"),
        Mark(participant_id=roster.participants[1].pk, status="asleep"),
    ]
    with pytest.raises(ValidationError, match="asleep"):
        attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
    assert not AttendanceRecord.objects.exists()


def test_cancelled_session_takes_no_marks(trainer):
    roster = make_roster(1)
    Session.objects.filter(pk=roster.session.pk).update(status=Session.Status.CANCELLED)
    roster.session.refresh_from_db()
    with pytest.raises(ValidationError):
        attendance_marks_save(
            session=roster.session,
            marks=[Mark(participant_id=roster.participants[0].pk, status="present")],
            recorded_by=trainer,
            source="web",
        )


def test_walk_in_creates_participant_enrolment_and_present_mark(trainer):
    roster = make_roster(0)
    participant = walk_in_create(
        session=roster.session,
        full_name="Ҳасанова Ҷамила",
        sex=Sex.FEMALE,
        audience=Audience.CIVIL_SOCIETY,
        recorded_by=trainer,
    )
    assert participant.region == roster.delivery.region
    assert Enrolment.objects.filter(delivery=roster.delivery, participant=participant).exists()
    assert AttendanceRecord.objects.get(participant=participant).status == "present"


def test_fixed_number_of_queries_for_ten_and_forty(trainer, django_assert_num_queries):
    def count(size: int) -> int:
        roster = make_roster(size)
        # Half already marked, so the save both creates and updates.
        attendance_marks_save(
            session=roster.session,
            marks=[Mark(participant_id=p.pk, status="absent") for p in roster.participants[: size // 2]],
            recorded_by=trainer,
            source="web",
        )
        marks = [Mark(participant_id=p.pk, status="present") for p in roster.participants]
        with CaptureQueriesContext(connection) as queries:
            attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
        assert AttendanceRecord.objects.filter(session=roster.session, status="present").count() == size
        return len(queries)

    assert count(10) == count(40)
    assert not AttendanceRecord.objects.filter(~Q(status="present")).exists()


def test_walk_in_double_submit_enrols_the_person_once(trainer):
    roster = make_roster(0)
    fields = {
        "full_name": "Ҳасанова  Ҷамила",
        "sex": Sex.FEMALE,
        "audience": Audience.YOUTH,
        "recorded_by": trainer,
    }
    walk_in_create(session=roster.session, **fields)
    with pytest.raises(ValidationError, match="already on this roster"):
        walk_in_create(session=roster.session, **{**fields, "full_name": "ҳасанова ҷамила"})
    assert Enrolment.objects.filter(delivery=roster.delivery).count() == 1


def _record_updates(queries) -> list[str]:
    return [
        query["sql"] for query in queries if query["sql"].startswith('UPDATE "attendance_attendancerecord"')
    ]


def _mark_everyone(roster, status: str, trainer) -> None:
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=p.pk, status=status) for p in roster.participants],
        recorded_by=trainer,
        source="web",
    )


def test_a_roster_save_updates_the_records_once_per_set_of_values(trainer):
    """40 rows changed to two statuses: two plain UPDATEs, not Django's bulk_update, whose CASE of a
    branch per row and field took more Python to compile than the rest of the save (issue 18)."""
    roster = make_roster(40)
    people = roster.participants
    _mark_everyone(roster, "present", trainer)
    marks = [Mark(participant_id=p.pk, status="absent" if n % 3 else "late") for n, p in enumerate(people)]
    with CaptureQueriesContext(connection) as queries:
        result = attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="web")
    updates = _record_updates(queries)
    assert result.updated == 40
    assert len(updates) == 2 and not any("CASE" in sql for sql in updates), updates
    records = {
        record.participant_id: record for record in AttendanceRecord.objects.filter(session=roster.session)
    }
    assert {pid: (r.status, r.version) for pid, r in records.items()} == {
        mark.participant_id: (mark.status, 2) for mark in marks
    }


def test_marks_each_taken_at_its_own_time_are_written_in_one_bulk_update(trainer):
    """A phone's queue: every mark has its own time, so one set of values per row; past
    MAX_GROUPED_UPDATES sets the records go in one bulk_update, still a fixed number of queries."""
    roster = make_roster(MAX_GROUPED_UPDATES + 4)
    people = roster.participants
    _mark_everyone(roster, "present", trainer)
    start = timezone.now()
    marks = [
        Mark(participant_id=p.pk, status="absent", taken_at=start + timezone.timedelta(seconds=n))
        for n, p in enumerate(people)
    ]
    with CaptureQueriesContext(connection) as queries:
        attendance_marks_save(session=roster.session, marks=marks, recorded_by=trainer, source="offline")
    assert len(_record_updates(queries)) == 1
    taken = dict(
        AttendanceRecord.objects.filter(session=roster.session).values_list("participant_id", "taken_at")
    )
    assert taken == {mark.participant_id: mark.taken_at for mark in marks}
    assert set(AttendanceRecord.objects.filter(session=roster.session).values_list("status", "version")) == {
        ("absent", 2)
    }


def test_rows_at_different_versions_changed_alike_are_one_update_and_each_counts_up(trainer):
    """Versions differ from row to row after a few saves; they are counted up in the database, so
    rows given the same values still go in one UPDATE and none loses or skips a version."""
    roster = make_roster(6)
    people = roster.participants
    for status in ("present", "absent"):
        _mark_everyone(roster, status, trainer)
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=p.pk, status="late") for p in people[:3]],
        recorded_by=trainer,
        source="web",
    )
    before = dict(
        AttendanceRecord.objects.filter(session=roster.session).values_list("participant_id", "version")
    )
    assert sorted(set(before.values())) == [2, 3]
    with CaptureQueriesContext(connection) as queries:
        attendance_marks_save(
            session=roster.session,
            marks=[Mark(participant_id=p.pk, status="excused") for p in people],
            recorded_by=trainer,
            source="web",
        )
    assert len(_record_updates(queries)) == 1
    after = dict(
        AttendanceRecord.objects.filter(session=roster.session).values_list("participant_id", "version")
    )
    assert after == {pid: version + 1 for pid, version in before.items()}
