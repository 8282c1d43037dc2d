"""Completion you can trust: each rule once (function and query agree), decided when a delivery is
completed, re-decided after a correction, read by certificates and reports."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone, translation

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments import rules, services
from assessments.models import Attempt, Certificate, Phase, TestWindow
from assessments.pdf import certificates_pdf
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.rules import meets_attendance
from attendance.services import Mark, attendance_marks_save, check_in_code_for, check_in_record
from core.models import AuditEvent
from courses import rules as course_rules
from courses.models import Delivery, Enrolment, Session
from courses.services import COMPLETE_WITH_FUTURE_SESSIONS, delivery_set_status
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    make_course,
    region,
)
from reports.selectors import ReportScope, report_figures
from tests.pdf_text import pdf_text

from .factories import make_instrument, right_choice, single, wrong_choice

pytestmark = pytest.mark.django_db


# The rules: boundaries, and Python and SQL agreeing on the same rows ----------------------------------


@pytest.mark.parametrize(
    ("attended", "held", "minimum", "met"),
    [
        (3, 4, 75, True),  # exactly on the minimum
        (2, 4, 75, False),  # one session below
        (4, 4, 100, True),
        (0, 0, 0, False),  # nothing held, nothing met
        (0, 3, 0, True),
    ],
)
def test_attendance_rule_boundaries(attended, held, minimum, met):
    assert meets_attendance(attended=attended, held=held, minimum_percent=minimum) is met


@pytest.mark.parametrize(
    ("percent", "mark", "passed"), [(70.0, 70, True), (69.99, 70, False), (None, 70, False), (0.0, 0, True)]
)
def test_pass_mark_boundaries(percent, mark, passed):
    assert rules.passes(percent=percent, pass_mark=mark) is passed


def test_score_percent_function_and_expression_agree():
    delivery = DeliveryFactory()
    instrument = make_instrument(delivery.course)
    cases = [(Decimal("7"), Decimal("10")), (Decimal("0"), Decimal("0")), (Decimal("2"), Decimal("3"))]
    for number, (score, max_score) in enumerate(cases):
        Attempt.objects.create(
            delivery=delivery,
            participant=ParticipantFactory(full_name=f"Шахс {number}"),
            instrument=instrument,
            phase=Phase.PRE,
            score=score,
            max_score=max_score,
        )
    for attempt in Attempt.objects.annotate(in_sql=rules.score_percent_expression()):
        in_python = rules.score_percent(score=attempt.score, max_score=attempt.max_score)
        assert attempt.in_sql == pytest.approx(in_python) if in_python is not None else attempt.in_sql is None


def test_held_session_function_and_query_agree():
    now = timezone.now()
    running, cancelled_delivery = (
        DeliveryFactory(),
        DeliveryFactory(status=Delivery.Status.CANCELLED, cancellation_reason="Паводок"),
    )
    sessions = [
        SessionFactory(delivery=running, starts_at=now - timedelta(hours=1)),  # started: held
        SessionFactory(delivery=running, starts_at=now),  # starts exactly now: held
        SessionFactory(delivery=running, starts_at=now + timedelta(minutes=1)),  # to come
        SessionFactory(delivery=running, starts_at=now - timedelta(days=1), status=Session.Status.CANCELLED),
        SessionFactory(delivery=cancelled_delivery, starts_at=now - timedelta(days=2)),  # delivery cancelled
    ]
    in_sql = set(Session.objects.filter(course_rules.held_session_q(now=now)).values_list("pk", flat=True))
    in_python = {
        session.pk
        for session in sessions
        if course_rules.is_held(
            session_status=session.status,
            starts_at=session.starts_at,
            delivery_status=session.delivery.status,
            now=now,
        )
    }
    assert in_sql == in_python == {sessions[0].pk, sessions[1].pk}


def test_active_enrolment_and_window_function_and_query_agree():
    delivery = DeliveryFactory()
    for status in Enrolment.Status.values:
        EnrolmentFactory(
            delivery=delivery,
            status=status,
            **({"decided_at": timezone.now()} if status in course_rules.DECIDED_ENROLMENT_STATUSES else {}),
        )
    in_sql = set(Enrolment.objects.filter(course_rules.active_enrolment_q()).values_list("status", flat=True))
    in_python = {status for status in Enrolment.Status.values if course_rules.is_active_enrolment(status)}
    assert in_sql == in_python == {"enrolled", "completed", "not_completed"}
    now = timezone.now()
    windows = [
        TestWindow.objects.create(delivery=delivery, phase=Phase.PRE, opened_at=now),
        TestWindow.objects.create(delivery=delivery, phase=Phase.POST, opened_at=now, closed_at=now),
    ]
    open_in_sql = set(TestWindow.objects.filter(rules.window_open_q()).values_list("pk", flat=True))
    open_in_python = {
        w.pk for w in windows if rules.window_is_open(opened_at=w.opened_at, closed_at=w.closed_at)
    }
    assert open_in_sql == open_in_python == {windows[0].pk}


# The decision ------------------------------------------------------------------------------------------


def four_session_delivery(*, held: int, minimum: int = 75, pass_mark: int = 70, with_test: bool = False):
    """A delivery of four sessions, `held` of them in the past, and one trainee."""
    course = make_course("Ҳамкорӣ бо ҷомеа", minimum_attendance_percent=minimum, pass_mark_percent=pass_mark)
    delivery = DeliveryFactory(course=course, status=Delivery.Status.IN_PROGRESS, region=region("TJ-SU"))
    now = timezone.now()
    for index in range(4):
        starts = now - timedelta(days=10 - index) if index < held else now + timedelta(days=index + 1)
        SessionFactory(delivery=delivery, starts_at=starts, ends_at=starts + timedelta(hours=3))
    participant = EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant
    if with_test:
        single(make_instrument(course))
    return delivery, participant


def mark(delivery, participant, statuses):
    for session, status in zip(delivery.sessions.order_by("starts_at"), statuses, strict=False):
        AttendanceRecord.objects.create(
            session=session,
            participant=participant,
            status=status,
            source="web",
            recorded_at=session.starts_at,
        )


def staff_figures():
    return report_figures(ReportScope(user=user_with_role(Role.ME_STAFF)))


def test_one_of_four_held_is_in_training_not_trained_and_gets_no_certificate():
    delivery, participant = four_session_delivery(held=1)
    mark(delivery, participant, [AttendanceStatus.PRESENT])
    figures = staff_figures()
    assert (figures.people_reached, figures.people_trained, figures.people_in_training) == (1, 0, 1)
    with pytest.raises(ValidationError) as refused:
        delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    assert str(COMPLETE_WITH_FUTURE_SESSIONS) in refused.value.messages
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.IN_PROGRESS  # nothing half-saved
    assert Enrolment.objects.get(participant=participant).decided_at is None
    with pytest.raises(ValidationError):
        services.certificates_issue(delivery=delivery, issued_by=None)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("present", "completed"), [(3, True), (2, False)])
def test_completing_decides_each_enrolment_with_its_reason(present, completed):
    delivery, participant = four_session_delivery(held=4)
    mark(
        delivery,
        participant,
        [AttendanceStatus.PRESENT] * present + [AttendanceStatus.ABSENT] * (4 - present),
    )
    staff = user_with_role(Role.ME_STAFF)
    delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED, changed_by=staff)
    enrolment = Enrolment.objects.get(participant=participant)
    assert enrolment.status == (Enrolment.Status.COMPLETED if completed else Enrolment.Status.NOT_COMPLETED)
    assert enrolment.decided_at is not None
    assert enrolment.decision_basis["attended"] == present and enrolment.decision_basis["held"] == 4
    assert f"attended {present} of 4 held sessions" in enrolment.decision_reason
    assert staff_figures().people_trained == int(completed)


@pytest.mark.parametrize(("right", "completed"), [(True, True), (False, False)])
def test_post_test_against_the_pass_mark_when_the_course_has_a_test(right, completed):
    delivery, participant = four_session_delivery(held=4, pass_mark=100, with_test=True)
    mark(delivery, participant, [AttendanceStatus.PRESENT] * 4)
    question = delivery.course.assessment_instruments.get().questions.get()
    answer = right_choice(question) if right else wrong_choice(question)
    services.paper_attempts_save(
        delivery=delivery,
        phase=Phase.POST,
        rows=[services.PaperRow(participant=participant, answers={question.pk: answer})],
        entered_by=user_with_role(Role.ME_STAFF),
    )
    delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    enrolment = Enrolment.objects.get(participant=participant)
    assert (enrolment.status == Enrolment.Status.COMPLETED) is completed
    assert enrolment.decision_basis["post_percent"] == (100.0 if right else 0.0)


def test_a_corrected_mark_re_decides_with_an_audit_row_and_flags_the_certificate():
    delivery, participant = four_session_delivery(held=4)
    mark(delivery, participant, [AttendanceStatus.PRESENT] * 3 + [AttendanceStatus.ABSENT])
    delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    [certificate] = services.certificates_issue(delivery=delivery, issued_by=None)
    enrolment = Enrolment.objects.get(participant=participant)
    audit_before = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrolment), object_id=str(enrolment.pk)
    ).count()
    trainer = user_with_role(Role.TRAINER)
    first = delivery.sessions.order_by("starts_at")[0]
    attendance_marks_save(
        session=first,
        marks=[Mark(participant_id=participant.pk, status=AttendanceStatus.ABSENT)],
        recorded_by=trainer,
        source="paper",
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.NOT_COMPLETED and enrolment.decision_basis["attended"] == 2
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrolment), object_id=str(enrolment.pk)
    )
    assert events.count() == audit_before + 1
    assert events.order_by("-pk")[0].actor_id == trainer.pk
    certificate.refresh_from_db()
    assert certificate.is_valid and certificate.needs_review  # flagged, not silently revoked
    assert staff_figures().people_trained == 0


def test_a_completed_delivery_cannot_be_reopened():
    delivery, _participant = four_session_delivery(held=4)
    delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    with pytest.raises(ValidationError):
        delivery_set_status(delivery=delivery, status=Delivery.Status.IN_PROGRESS)


def test_cancelling_a_delivery_with_past_sessions_leaves_every_figure_untouched():
    delivery, participant = four_session_delivery(held=2)
    mark(delivery, participant, [AttendanceStatus.PRESENT] * 2)
    other, other_person = four_session_delivery(held=4)
    other.region = region("TJ-DU")
    other.save()
    mark(other, other_person, [AttendanceStatus.PRESENT] * 4)
    delivery_set_status(delivery=other, status=Delivery.Status.COMPLETED)
    before = staff_figures()
    delivery_set_status(delivery=delivery, status=Delivery.Status.CANCELLED, reason="Паводок")
    assert not delivery.sessions.filter(course_rules.held_session_q(now=timezone.now())).exists()
    after = staff_figures()
    assert before.deliveries_in_scope == 2 and after.deliveries_in_scope == 1
    assert after.sessions_held == 4 and after.people_trained == 1 and after.people_in_training == 0
    assert [(row["country__iso_code"], row["covered"]) for row in after.regions_covered] == [("TJ", 1)]
    with pytest.raises(ValidationError):  # no attendance in a cancelled delivery
        attendance_marks_save(
            session=delivery.sessions.first(),
            marks=[Mark(participant_id=participant.pk, status=AttendanceStatus.ABSENT)],
            recorded_by=None,
            source="web",
        )


def test_the_scheduled_command_completes_ended_deliveries_once():
    ended, person = four_session_delivery(held=4)
    Session.objects.filter(delivery=ended).update(
        starts_at=timezone.now() - timedelta(days=30), ends_at=timezone.now() - timedelta(days=30, hours=-2)
    )
    running, _ = four_session_delivery(held=1)
    mark(ended, person, [AttendanceStatus.PRESENT] * 4)
    output = io.StringIO()
    call_command("complete_ended_deliveries", "--days", "14", stdout=output)
    assert "Completed 1 deliveries" in output.getvalue()
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == (Delivery.Status.COMPLETED, Delivery.Status.IN_PROGRESS)
    assert Enrolment.objects.get(delivery=ended).status == Enrolment.Status.COMPLETED
    call_command("complete_ended_deliveries", stdout=(again := io.StringIO()))
    assert "Completed 0 deliveries" in again.getvalue()


# Only active enrolments act --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Enrolment.Status.WITHDRAWN, Enrolment.Status.WAITLISTED])
def test_withdrawn_or_waitlisted_cannot_save_submit_have_paper_entered_or_check_in(status):
    delivery, participant = four_session_delivery(held=1, with_test=True)
    Enrolment.objects.filter(participant=participant).update(status=status)
    TestWindow.objects.create(delivery=delivery, phase=Phase.PRE, opened_at=timezone.now())
    question = delivery.course.assessment_instruments.get().questions.get()
    answers = {question.pk: right_choice(question)}
    expected = course_rules.inactive_enrolment_refusal(status)
    with pytest.raises(ValidationError, match=expected[:20]):
        services.attempt_save_draft(
            delivery=delivery, participant=participant, phase=Phase.PRE, answers=answers
        )
    with pytest.raises(ValidationError, match=expected[:20]):
        services.attempt_submit(
            delivery=delivery, participant=participant, phase=Phase.PRE, answers=answers, token="t"
        )
    with pytest.raises(ValidationError, match=expected[:20]):
        services.paper_attempts_save(
            delivery=delivery,
            phase=Phase.PRE,
            rows=[services.PaperRow(participant=participant, answers=answers)],
            entered_by=user_with_role(Role.TRAINER),
        )
    assert not Attempt.objects.exists()
    user = user_with_role(Role.TRAINEE)
    participant.user = user
    participant.save()
    session = delivery.sessions.order_by("starts_at")[0]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match=expected[:20]):
        check_in_record(user=user, code=check_in_code_for(session=session).code)
    assert not AttendanceRecord.objects.exists()


def test_staff_complete_a_delivery_from_its_status_page_and_read_the_decisions(client):
    delivery, participant = four_session_delivery(held=4)
    mark(delivery, participant, [AttendanceStatus.PRESENT] * 4)
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.post(f"/deliveries/{delivery.pk}/status/", {"status": "completed"}, follow=True)
    page = response.content.decode()
    assert "Completion decided: 1 completed, 0 not completed." in page
    trainer = user_with_role(Role.TRAINER)
    delivery.trainers.add(trainer)
    client.force_login(trainer)
    page = client.get(f"/deliveries/{delivery.pk}/attendance/").content.decode()
    assert "attended 4 of 4 held sessions (minimum 75 %)" in page


def test_a_trainer_cannot_complete_a_delivery(client):
    delivery, _participant = four_session_delivery(held=4)
    trainer = user_with_role(Role.TRAINER)
    delivery.trainers.add(trainer)
    client.force_login(trainer)
    response = client.post(f"/deliveries/{delivery.pk}/status/", {"status": "completed"})
    assert response.status_code in (403, 404)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.IN_PROGRESS


def test_a_certificate_issued_weeks_later_states_the_delivery_s_last_day():
    delivery, participant = four_session_delivery(held=4)
    Session.objects.filter(delivery=delivery).update(
        starts_at=F("starts_at") - timedelta(days=60), ends_at=F("ends_at") - timedelta(days=60)
    )
    mark(delivery, participant, [AttendanceStatus.PRESENT] * 4)
    delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    [certificate] = services.certificates_issue(delivery=delivery, issued_by=None)
    last_end = delivery.sessions.order_by("-ends_at")[0].ends_at
    stated = timezone.localtime(last_end, delivery.region.zone).date()
    assert certificate.completed_on == stated != timezone.localdate()
    text = pdf_text(certificates_pdf([certificate], base_url="http://testserver"), flatten=True)
    with translation.override(delivery.language):  # the certificate speaks the delivery's language
        label = translation.gettext("Completed on")
    assert f"{label}: {stated:%d.%m.%Y}" in text
