"""M&E staff complete a delivery whose sessions have ended, read each person's decision and issue
certificates by rule; a delivery still running cannot be completed."""

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Certificate
from attendance.models import AttendanceRecord, AttendanceStatus
from courses.models import Delivery, Enrolment
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    make_course,
    region,
)


def test_staff_complete_a_delivery_and_issue_certificates_by_the_decision(
    live_server, page, check_page, login
):
    user_with_role(Role.ME_STAFF, username="mestaff")
    course = make_course("Ҳамкорӣ бо ҷомеа", minimum_attendance_percent=75)
    delivery = DeliveryFactory(course=course, region=region("TJ-SU"), status=Delivery.Status.IN_PROGRESS)
    now = timezone.now()
    sessions = [
        SessionFactory(
            delivery=delivery,
            starts_at=now - timedelta(days=day),
            ends_at=now - timedelta(days=day, hours=-3),
        )
        for day in (4, 3, 2, 1)
    ]
    attended = EnrolmentFactory(
        delivery=delivery, participant=ParticipantFactory(full_name="Қодиров Ҷамшед")
    ).participant
    absent = EnrolmentFactory(
        delivery=delivery, participant=ParticipantFactory(full_name="Ғафорова Ҳилола")
    ).participant
    for index, session in enumerate(sessions):
        AttendanceRecord.objects.create(
            session=session,
            participant=attended,
            status=AttendanceStatus.PRESENT,
            source="web",
            recorded_at=session.ends_at,
        )
        AttendanceRecord.objects.create(
            session=session,
            participant=absent,
            status=AttendanceStatus.PRESENT if index == 0 else AttendanceStatus.ABSENT,
            source="web",
            recorded_at=session.ends_at,
        )

    page.set_default_timeout(10_000)
    login(page, "mestaff")
    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/status/")
    check_page(page, "completion-status-form")
    page.locator("#id_status").select_option("completed")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert "Completion decided: 1 completed, 1 not completed." in page.content()
    check_page(page, "completion-delivery-detail")

    page.goto(f"{live_server.url}/deliveries/{delivery.pk}/certificates/")
    assert "attended 1 of 4 held sessions" in page.content()
    page.get_by_role("button", name="Issue certificates to everyone who completed").click()
    page.wait_for_load_state("load")
    check_page(page, "completion-certificates")
    assert list(Certificate.objects.values_list("participant__full_name", flat=True)) == ["Қодиров Ҷамшед"]
    assert Enrolment.objects.get(participant=absent).status == Enrolment.Status.NOT_COMPLETED
