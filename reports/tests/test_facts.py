"""The fact table behind every figure: follows every change to the data it copies, honest about the clock."""

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
from core.enums import Audience, OrganisationType, Sex
from courses.models import Country, Enrolment, Session
from courses.services import participant_merge, session_cancel
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    region,
)
from reports.facts import facts_ensure_fresh
from reports.models import DeliveryHeld, EnrolmentFact
from reports.selectors import ReportScope, report_figures

pytestmark = pytest.mark.django_db


def figures_for(**filters):
    return report_figures(ReportScope(user=user_with_role(Role.ME_STAFF), **filters))


def test_a_corrected_mark_after_completion_re_decides_and_the_reports_follow(programme):
    assert (figures_for().people_trained, figures_for().women_trained) == (2, 1)
    d1 = programme["deliveries"][0]
    last_held = d1.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at")[3]
    # p3 attended 2 of 4; a corrected mark for the fourth session makes 3 of 4, the 75 % minimum.
    attendance_marks_save(
        session=last_held,
        marks=[Mark(participant_id=programme["people"]["p3"].pk, status=AttendanceStatus.PRESENT)],
        recorded_by=None,
        source="web",
    )
    assert (figures_for().people_trained, figures_for().women_trained) == (3, 2)


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


def test_cancelling_a_session_of_a_completed_delivery_re_decides_who_met_the_minimum(programme):
    # p7 attended the first of D2's two sessions; with the second cancelled that is 1 of 1.
    assert figures_for().people_trained == 2
    second = programme["deliveries"][1].sessions.order_by("starts_at")[1]
    session_cancel(session=second)
    assert figures_for().people_trained == 3


def test_a_merge_makes_the_later_delivery_a_returning_one(programme):
    kyrgyzstan = Country.objects.get(iso_code="KG")
    figures = figures_for(country=kyrgyzstan)
    assert (figures.first_time, figures.returning) == (1, 0)
    # p7 (Dushanbe, June) turns out to be p8 (Kyrgyzstan, September): September is no longer her first.
    participant_merge(keep=programme["people"]["p8"], duplicate=programme["people"]["p7"])
    figures = figures_for(country=kyrgyzstan)
    assert (figures.first_time, figures.returning) == (0, 1)


def test_tables_are_rebuilt_only_when_the_data_changed(programme):
    facts_ensure_fresh()
    assert facts_ensure_fresh() is False
    # One fact per active enrolment: D1 five (p5 withdrew), D2 two, D3 one, D4 one.
    assert EnrolmentFact.objects.count() == 9
    p4_in_d1 = EnrolmentFact.objects.get(
        delivery=programme["deliveries"][0], participant=programme["people"]["p4"]
    )
    assert (p4_in_d1.attended_sessions, p4_in_d1.held_sessions, p4_in_d1.first_attended_at) == (0, 4, None)
    session = programme["deliveries"][0].sessions.order_by("starts_at")[0]
    AttendanceRecord.objects.filter(session=session, participant=programme["people"]["p4"]).update(
        status=AttendanceStatus.PRESENT, version=2
    )
    assert facts_ensure_fresh() is True
    p4_in_d1.refresh_from_db()
    assert (p4_in_d1.attended_sessions, p4_in_d1.first_attended_at) == (1, session.starts_at)


def test_a_changed_sex_audience_or_organisation_type_is_seen(programme):
    figures = figures_for()
    assert (figures.people_trained, figures.women_trained) == (2, 1)
    p1 = programme["people"]["p1"]  # trained in D1 and D2, as police, male
    p1.sex = Sex.FEMALE
    p1.save()
    assert figures_for().women_trained == 2
    assert figures_for(audience=Audience.YOUTH).people_trained == 0
    enrolment = Enrolment.objects.get(delivery=programme["deliveries"][1], participant=p1)
    enrolment.audience = Audience.YOUTH
    enrolment.save()
    assert figures_for(audience=Audience.YOUTH).people_trained == 1
    organisation = p1.organisation
    assert figures_for(organisation_type=OrganisationType.SCHOOL).people_trained == 0
    organisation.type = OrganisationType.SCHOOL
    organisation.save()
    assert figures_for(organisation_type=OrganisationType.SCHOOL).people_trained == 1


def test_a_decision_stands_when_the_course_rule_changes_later_and_moves_are_seen(programme):
    assert figures_for().people_trained == 2
    course = programme["course"]
    # p3 attended 2 of D1's 4 held sessions and p7 1 of D2's 2: decided under the 75 % rule in force
    # then, they stay not completed when the course's minimum is lowered afterwards.
    type(course).objects.filter(pk=course.pk).update(minimum_attendance_percent=50)
    assert figures_for().people_trained == 2
    d3 = programme["deliveries"][2]
    assert figures_for(country=Country.objects.get(iso_code="KG")).people_in_training == 1
    d3.country, d3.region, d3.venue = Country.objects.get(iso_code="TJ"), region("TJ-KT"), None
    d3.save()
    assert figures_for(country=Country.objects.get(iso_code="KG")).people_in_training == 0
    certificate = Certificate.objects.create(
        delivery=d3, participant=programme["people"]["p8"], code="ABCDEFGH"
    )
    assert figures_for().certificates_issued == 1
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revoke_reason="Issued by mistake"
    )
    assert figures_for().certificates_issued == 0


def test_only_deliveries_whose_held_count_moved_are_rewritten(programme):
    d3 = programme["deliveries"][2]
    next_session = d3.sessions.order_by("starts_at")[1]
    facts_ensure_fresh(now=next_session.starts_at - timedelta(minutes=1))
    assert DeliveryHeld.objects.get(delivery=d3).held_sessions == 1
    assert EnrolmentFact.objects.get(delivery=d3).held_sessions == 1
    # The clock passes the start of D3's second session: its held count moves, D1's and D2's facts
    # are not touched, nothing is rebuilt.
    d1, d2 = programme["deliveries"][0], programme["deliveries"][1]
    d2_facts = list(EnrolmentFact.objects.filter(delivery=d2).values_list("pk", "held_sessions"))
    assert facts_ensure_fresh(now=next_session.starts_at + timedelta(minutes=1)) is True
    assert EnrolmentFact.objects.get(delivery=d3).held_sessions == 2
    assert set(EnrolmentFact.objects.filter(delivery=d1).values_list("held_sessions", flat=True)) == {4}
    assert list(EnrolmentFact.objects.filter(delivery=d2).values_list("pk", "held_sessions")) == d2_facts
    # p8 attended 1 of 2 held now: below the 75 % minimum.
    scope_now = next_session.starts_at + timedelta(minutes=1)
    figures = report_figures(
        ReportScope(
            user=user_with_role(Role.ME_STAFF), now=scope_now, country=Country.objects.get(iso_code="KG")
        )
    )
    assert (figures.people_reached, figures.people_trained) == (1, 0)


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


def test_refresh_command_brings_up_to_date_or_rebuilds_when_forced(programme):
    def refresh(*args) -> str:
        output = io.StringIO()
        call_command("refresh_report_tables", *args, stdout=output)
        return output.getvalue()

    assert "Brought up to date: 9 enrolment facts" in refresh()
    assert "Already up to date: 9 enrolment facts" in refresh()
    assert "Rebuilt: 9 enrolment facts" in refresh("--force")
    assert "Already up to date" in refresh()
