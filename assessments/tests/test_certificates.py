"""Certificate rules, manual issue and revoke, codes, the PDF text and the QR payload."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from attendance.models import AttendanceRecord, AttendanceSource, AttendanceStatus
from courses.models import Delivery
from courses.services import delivery_set_status
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    make_course,
)
from tests.pdf_text import pdf_page_count, pdf_page_size, pdf_text

from .. import services
from ..models import CODE_ALPHABET, Certificate, Phase, parse_certificate_code
from ..pdf import certificates_pdf, qr_widget, verification_url
from ..selectors import certificates_for_print
from .factories import enter_paper, make_instrument, right_choice, single, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery():
    course = make_course("Ҳамкорӣ бо ҷомеа", minimum_attendance_percent=50, pass_mark_percent=70)
    delivery = DeliveryFactory(course=course)
    for days_ago in (5, 4):
        starts = timezone.now() - timedelta(days=days_ago)
        SessionFactory(delivery=delivery, starts_at=starts, ends_at=starts + timedelta(hours=3))
    instrument = make_instrument(course)
    single(instrument)
    return delivery


def attend(delivery, participant, sessions: int):
    for session in delivery.sessions.all()[:sessions]:
        AttendanceRecord.objects.create(
            session=session,
            participant=participant,
            status=AttendanceStatus.PRESENT,
            source=AttendanceSource.WEB,
            recorded_at=timezone.now(),
        )


def post_test(delivery, participant, right: bool):
    question = delivery.course.assessment_instruments.get().questions.get()
    enter_paper(
        delivery,
        Phase.POST,
        {participant: {question.pk: (right_choice if right else wrong_choice)(question)}},
    )


def enrol(delivery, name="Қурбонов Ҷамшед"):
    return EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name=name)).participant


def test_issued_only_when_attendance_and_pass_mark_are_both_met(delivery):
    completed, failed_test, absent = enrol(delivery, "a"), enrol(delivery, "b"), enrol(delivery, "c")
    attend(delivery, completed, 1)  # 1 of 2 sessions = 50% ≥ 50%
    post_test(delivery, completed, right=True)
    attend(delivery, failed_test, 2)
    post_test(delivery, failed_test, right=False)
    post_test(delivery, absent, right=True)
    with pytest.raises(ValidationError) as refused:  # not before the delivery is completed and decided
        services.certificates_issue(delivery=delivery, issued_by=None)
    assert services.DELIVERY_NOT_COMPLETED in refused.value.messages
    delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
    issued = services.certificates_issue(delivery=delivery, issued_by=None)
    assert [certificate.participant for certificate in issued] == [completed]
    # Dated by the delivery's last day in its region, not by the day of issue.
    last_day = timezone.localtime(delivery.sessions.order_by("-ends_at")[0].ends_at, delivery.region.zone)
    assert issued[0].completed_on == last_day.date()
    assert services.certificates_issue(delivery=delivery, issued_by=None) == []  # idempotent
    with pytest.raises(ValidationError):
        services.certificate_issue_for(delivery=delivery, participant=failed_test, issued_by=None)


def test_manual_issue_needs_a_reason_and_is_recorded(delivery, make_user):
    participant, staff = enrol(delivery), make_user(None)
    with pytest.raises(ValidationError):
        services.certificate_issue_manual(
            delivery=delivery, participant=participant, reason="  ", issued_by=staff
        )
    certificate = services.certificate_issue_manual(
        delivery=delivery,
        participant=participant,
        reason="Sick on the last day; took the test later",
        issued_by=staff,
    )
    assert certificate.manual_reason.startswith("Sick") and certificate.issued_by == staff
    with pytest.raises(ValidationError):
        services.certificate_issue_manual(
            delivery=delivery, participant=participant, reason="again", issued_by=staff
        )


def test_revoke_needs_a_reason(delivery, make_user):
    staff = make_user(None)
    certificate = services.certificate_issue_manual(
        delivery=delivery, participant=enrol(delivery), reason="exception", issued_by=staff
    )
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, reason="", revoked_by=staff)
    certificate = services.certificate_revoke(
        certificate=certificate, reason="Issued by mistake", revoked_by=staff
    )
    assert not certificate.is_valid and certificate.revoked_by == staff
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, reason="again", revoked_by=staff)


def test_codes_avoid_ambiguous_letters_and_parse_what_people_type():
    assert not set("0O1I") & set(CODE_ALPHABET)
    assert parse_certificate_code(" 7kqm-4xpa ") == "7KQM4XPA"
    for malformed in ("", "7KQM-4XP", "7KQM-4XP0", "ABCD-EFGI", "<script>", "7KQM-4XPA-9"):
        assert parse_certificate_code(malformed) is None


def test_pdf_carries_name_course_code_and_verification_url(delivery, make_user):
    participant = enrol(delivery, "Ҷӯраева Гулӣ Ғафоровна")
    participant.latin_name = "Juraeva Guli"
    participant.save()
    trainer = make_user(None, first_name="Шӯҳрат", last_name="Қосимов")
    delivery.trainers.add(trainer)
    services.certificate_issue_manual(
        delivery=delivery, participant=participant, reason="test", issued_by=trainer
    )
    certificate = certificates_for_print().get()
    pdf = certificates_pdf([certificate], base_url="https://hamkori.example/")
    text = pdf_text(pdf)
    assert "Ҷӯраева Гулӣ Ғафоровна" in text
    assert "Juraeva Guli" in text
    assert "Ҳамкорӣ бо ҷомеа" in text
    assert "Шӯҳрат Қосимов" in text
    assert certificate.display_code in text
    assert f"https://hamkori.example/certificates/verify/{certificate.display_code}/" in text


def test_qr_code_carries_the_verification_url(delivery):
    certificate = Certificate.objects.create(delivery=delivery, participant=enrol(delivery), code="7KQM4XPA")
    url = verification_url(certificate, "https://hamkori.example")
    assert url == "https://hamkori.example/certificates/verify/7KQM-4XPA/"
    widget = qr_widget(url)
    assert widget.value == url
    assert widget.qr.getModuleCount() >= 21 and any(any(row) for row in widget.qr.modules)


def test_a_whole_delivery_prints_one_page_per_certificate(delivery):
    for number in range(3):
        Certificate.objects.create(
            delivery=delivery, participant=enrol(delivery, f"Н {number}"), code=f"ABCD234{number + 2}"
        )
    content = certificates_pdf(list(certificates_for_print([delivery.pk])), base_url="http://x")
    assert pdf_page_count(content) == 3
    assert pdf_page_size(content) == pytest.approx((841.89, 595.276), abs=0.01)  # A4 landscape
