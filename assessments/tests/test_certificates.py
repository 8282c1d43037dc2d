"""Certificate rules, manual issue and revoke, codes, the PDF text and the QR payload."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from attendance.models import AttendanceRecord, AttendanceSource, AttendanceStatus
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    make_course,
)

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
    issued = services.certificates_issue(delivery=delivery, issued_by=None)
    assert [certificate.participant for certificate in issued] == [completed]
    assert services.certificates_issue(delivery=delivery, issued_by=None) == []  # idempotent


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


def test_pdf_carries_name_course_code_and_verification_url(delivery, make_user, tmp_path):
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
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
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


def test_a_whole_delivery_prints_one_page_per_certificate(delivery, tmp_path):
    for number in range(3):
        Certificate.objects.create(
            delivery=delivery, participant=enrol(delivery, f"Н {number}"), code=f"ABCD234{number + 2}"
        )
    path = tmp_path / "all.pdf"
    path.write_bytes(certificates_pdf(list(certificates_for_print([delivery.pk])), base_url="http://x"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+3\n", info)
    assert re.search(r"Page size:\s+841.89 x 595.276 pts", info)  # A4 landscape
