"""The outcome table behind the people figures: rebuilt when the data changes, honest about the clock."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Attempt, Certificate
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import Mark, attendance_marks_save
from courses.models import Country, Session
from courses.services import participant_merge, session_cancel
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, SessionFactory
from reports.models import EnrolmentOutcome
from reports.outcomes import outcomes_ensure_fresh
from reports.selectors import ReportScope, report_figures

pytestmark = pytest.mark.django_db


def figures_for(**filters):
    return report_figures(ReportScope(user=user_with_role(Role.ME_STAFF), **filters))


def test_people_trained_rises_after_a_roster_save(programme):
    assert (figures_for().people_trained, figures_for().women_trained) == (4, 3)
    d1 = programme["deliveries"][0]
    last_held = d1.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at")[3]
    # p3 attended 2 of 4; a corrected mark for the fourth session makes 3 of 4, the 75 % minimum.
    attendance_marks_save(
        session=last_held,
        marks=[Mark(participant_id=programme["people"]["p3"].pk, status=AttendanceStatus.PRESENT)],
        recorded_by=None,
        source="web",
    )
    assert (figures_for().people_trained, figures_for().women_trained) == (5, 4)


def test_a_changed_mark_is_seen_too(programme):
    d2 = programme["deliveries"][1]
    first = d2.sessions.order_by("starts_at")[0]
    p1 = programme["people"]["p1"]
    before = figures_for().participant_hours
    attendance_marks_save(
        session=first,
        marks=[Mark(participant_id=p1.pk, status=AttendanceStatus.ABSENT)],
        recorded_by=None,
        source="web",
    )
    assert figures_for().participant_hours == before - 2


def test_cancelling_a_session_changes_who_met_the_minimum(programme):
    # p7 attended the first of D2's two sessions; with the second cancelled that is 1 of 1.
    assert figures_for().people_trained == 4
    second = programme["deliveries"][1].sessions.order_by("starts_at")[1]
    session_cancel(session=second)
    assert figures_for().people_trained == 5


def test_a_merge_makes_the_later_delivery_a_returning_one(programme):
    kyrgyzstan = Country.objects.get(iso_code="KG")
    figures = figures_for(country=kyrgyzstan)
    assert (figures.first_time, figures.returning) == (1, 0)
    # p7 (Dushanbe, June) turns out to be p8 (Kyrgyzstan, September): September is no longer her first.
    participant_merge(keep=programme["people"]["p8"], duplicate=programme["people"]["p7"])
    figures = figures_for(country=kyrgyzstan)
    assert (figures.first_time, figures.returning) == (0, 1)


def test_tables_are_rebuilt_only_when_the_data_changed(programme):
    outcomes_ensure_fresh()
    assert outcomes_ensure_fresh() is False
    rows = EnrolmentOutcome.objects.count()
    assert rows == 8  # enrolments with an attended mark: p1 twice, p2, p3, p5, p6, p7, p8
    session = programme["deliveries"][0].sessions.order_by("starts_at")[0]
    AttendanceRecord.objects.filter(session=session, participant=programme["people"]["p4"]).update(
        status=AttendanceStatus.PRESENT, version=2
    )
    assert outcomes_ensure_fresh() is True
    assert EnrolmentOutcome.objects.count() == rows + 1


def _delivery_with_marks(starts: list[datetime], marks: list[str]):
    delivery = DeliveryFactory()
    participant = ParticipantFactory()
    EnrolmentFactory(delivery=delivery, participant=participant)
    for start, mark in zip(starts, marks, strict=True):
        session = SessionFactory(delivery=delivery, starts_at=start, ends_at=start + timedelta(hours=2))
        if mark:
            AttendanceRecord.objects.create(
                session=session, participant=participant, status=mark, source="web", recorded_at=start
            )
    return delivery


def test_a_mark_at_a_session_not_started_yet_does_not_count(db):
    now = timezone.now()
    present, absent = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    past = [now - timedelta(days=day) for day in (4, 3, 2, 1)]
    # 2 of 4 held sessions attended (50 % < 75 %); a check-in for the session starting in ten minutes
    # is stored, but that session is not held yet, so it must not make 3 of 4.
    _delivery_with_marks([*past, now + timedelta(minutes=10)], [present, present, absent, absent, present])
    figures = figures_for()
    assert (figures.people_reached, figures.people_trained) == (1, 0)


def test_a_period_between_two_attended_sessions_reaches_nobody(db):
    present, absent = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    days = [datetime(2025, 1, day, 5, tzinfo=UTC) for day in (1, 2, 3)]
    _delivery_with_marks(days, [present, absent, present])
    between = figures_for(date_from=date(2025, 1, 2), date_to=date(2025, 1, 2))
    assert (between.people_reached, between.participant_hours) == (0, 0.0)
    overlapping = figures_for(date_from=date(2025, 1, 2), date_to=date(2025, 1, 3))
    assert (overlapping.people_reached, overlapping.participant_hours) == (1, 2.0)


def test_generate_programme_makes_tests_and_certificates(db):
    call_command(
        "generate_programme",
        participants=200,
        deliveries=6,
        sessions=24,
        attendance=600,
        courses=2,
        trainers=2,
        stdout=io.StringIO(),
    )
    assert Attempt.objects.filter(status=Attempt.Status.SUBMITTED).exists()
    assert Certificate.objects.exists()
    scores = figures_for().test_scores
    assert scores.paired > 0 and scores.mean_post > scores.mean_pre
    assert figures_for().certificates_issued == Certificate.objects.count()
