"""Responses with personal data tell browsers and proxies not to keep a copy (Cache-Control: no-store)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Certificate
from attendance.tests.factories import make_roster

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def roster():
    return make_roster(2)


def staff_views(roster) -> list[str]:
    delivery, session, participant = roster.delivery, roster.session, roster.participants[0]
    return [
        reverse("courses:participant_list"),
        reverse("courses:participant_edit", args=[participant.pk]),
        reverse("courses:delivery_detail", args=[delivery.pk]),
        reverse("attendance:session", args=[session.pk]),
        reverse("attendance:session_sheet", args=[session.pk]),
        reverse("attendance:delivery_sheet", args=[delivery.pk]),
        reverse("attendance:delivery_export", args=[delivery.pk, "csv"]),
        reverse("reports:export_csv"),
        reverse("reports:export_xlsx"),
        reverse("reports:export_pdf"),
        reverse("privacy:participant", args=[participant.pk]),
        reverse("privacy:export_json", args=[participant.pk]),
        reverse("privacy:export_pdf", args=[participant.pk]),
        reverse("assessments:delivery_certificates_pdf", args=[delivery.pk]),
        "/admin/",
    ]


def test_every_staff_view_with_personal_data_says_no_store(client, roster):
    client.force_login(user_with_role(Role.ME_STAFF))
    for url in staff_views(roster):
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert no_store(response), url


def test_a_trainees_own_page_and_certificate_say_no_store(client, roster):
    from courses.personal_codes import participant_ensure_user

    participant = roster.participants[0]
    user = participant_ensure_user(participant=participant)
    certificate = Certificate.objects.create(delivery=roster.delivery, participant=participant)
    client.force_login(user)
    for url in (
        reverse("assessments:my"),
        reverse("assessments:my_certificate_pdf", args=[certificate.display_code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_a_public_certificate_check_shows_a_name_and_says_no_store(roster):
    certificate = Certificate.objects.create(delivery=roster.delivery, participant=roster.participants[0])
    response = Client().get(reverse("assessments:verify", args=[certificate.display_code]))
    assert response.status_code == 200
    assert no_store(response)


def test_public_course_pages_stay_cacheable(roster):
    response = Client().get(roster.delivery.course.url)
    assert response.status_code == 200
    assert not no_store(response)
