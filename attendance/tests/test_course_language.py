"""Attendance pages name the course in the reader's language (issue 16, item 1).

Seen on a running system: a Kyrgyz trainer's roster and /today/ showed the course's
English title although a Russian translation exists and ky readers read Russian first.
"""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from attendance.services import check_in_code_for
from core.localtime import aware, local_date
from courses.models import Participant, Session
from curriculum.tests.factories import make_course, translate

from .factories import make_roster

pytestmark = pytest.mark.django_db

ENGLISH = "Community policing"
RUSSIAN = "Общественная полиция"


@pytest.fixture
def kyrgyz_roster(make_user):
    """A Kyrgyz-language delivery of a course written in English and Russian only, starting shortly."""
    course = make_course(title=ENGLISH)
    translate(course, "ru", title=RUSSIAN)
    trainer = make_user(Role.TRAINER)
    roster = make_roster(2, trainers=[trainer], starts_in=timedelta(minutes=-5), course=course, language="ky")
    return roster, trainer


def _in_kyrgyz(client, user):
    client.force_login(user)
    client.cookies.load({"django_language": "ky"})
    return client


def _assert_russian_title(html: str) -> None:
    assert '<html lang="ky"' in html
    assert RUSSIAN in html
    assert not re.search(rf"\b{ENGLISH}\b", html), "the English title is shown to a Kyrgyz reader"


@pytest.mark.parametrize("page", ["attendance:session", "attendance:paper", "attendance:history"])
def test_session_pages_name_the_course_by_the_fallback_in_kyrgyz(client, kyrgyz_roster, page):
    roster, trainer = kyrgyz_roster
    response = _in_kyrgyz(client, trainer).get(reverse(page, args=[roster.session.pk]))
    assert response.status_code == 200
    _assert_russian_title(response.content.decode())


def test_delivery_attendance_names_the_course_by_the_fallback_in_kyrgyz(client, kyrgyz_roster):
    roster, trainer = kyrgyz_roster
    response = _in_kyrgyz(client, trainer).get(reverse("attendance:delivery", args=[roster.delivery.pk]))
    assert response.status_code == 200
    _assert_russian_title(response.content.decode())


def test_today_names_the_course_by_the_fallback_in_kyrgyz(client, kyrgyz_roster):
    roster, trainer = kyrgyz_roster
    # At noon of the region's day, so that it is on Today at any hour: a session that started five
    # minutes ago is yesterday's there in the first minutes after the region's midnight.
    region = roster.delivery.region
    noon = aware(local_date(timezone.now(), region), time(12, 0), region)
    Session.objects.filter(pk=roster.session.pk).update(starts_at=noon, ends_at=noon + timedelta(hours=3))
    response = _in_kyrgyz(client, trainer).get(reverse("attendance:today"))
    assert response.status_code == 200
    _assert_russian_title(response.content.decode())


def test_the_calendar_names_the_course_by_the_fallback_in_kyrgyz(client, kyrgyz_roster):
    roster, trainer = kyrgyz_roster
    month = f"{local_date(roster.session.starts_at, roster.delivery.region):%Y-%m}"  # the region's month
    response = _in_kyrgyz(client, trainer).get(reverse("courses:session_calendar"), {"month": month})
    assert response.status_code == 200
    _assert_russian_title(response.content.decode())


def test_the_check_in_message_names_the_course_by_the_fallback_in_kyrgyz(client, kyrgyz_roster, make_user):
    roster, _trainer = kyrgyz_roster
    trainee = make_user(Role.TRAINEE)
    Participant.objects.filter(pk=roster.participants[0].pk).update(user=trainee)
    code = check_in_code_for(session=roster.session).code
    response = _in_kyrgyz(client, trainee).post(reverse("attendance:check_in"), {"code": code}, follow=True)
    assert response.status_code == 200
    _assert_russian_title(response.content.decode())
