"""The trainer's Today page (issue 13): their sessions today and in the next 7 days, one tap from each roster."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from attendance.models import AttendanceRecord
from core.localtime import aware, local_date
from courses.models import Enrolment, Session
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, SessionFactory, VenueFactory, region

from .factories import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def _session_at(delivery, *, days: int, hour: int = 9, **fields) -> Session:
    """A session `days` local days from today in the delivery's region, at `hour` local time."""
    day = local_date(timezone.now(), delivery.region) + timedelta(days=days)
    starts_at = aware(day, timezone.datetime.min.time().replace(hour=hour), delivery.region)
    return SessionFactory(
        delivery=delivery, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **fields
    )


def _today_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<li class="today-session" id="session-(\d+)">(.*?)</li>', html, flags=re.S))


def test_contract_url():
    assert reverse("attendance:today") == "/today/"


def test_trainer_sees_own_sessions_of_the_next_seven_days_with_counts(client, trainer, make_user):
    roster = make_roster(3, trainers=[trainer], starts_in=timedelta(days=-30))
    venue = VenueFactory(name="Khujand police school", region=roster.delivery.region)
    today = _session_at(roster.delivery, days=0, hour=10, venue=venue)
    in_a_week = _session_at(roster.delivery, days=7)
    too_late = _session_at(roster.delivery, days=8)
    yesterday = _session_at(roster.delivery, days=-1)
    cancelled = _session_at(roster.delivery, days=1, status=Session.Status.CANCELLED)
    others = _session_at(DeliveryFactory(trainers=[make_user(Role.TRAINER)]), days=0)
    withdrawn = EnrolmentFactory(delivery=roster.delivery, status=Enrolment.Status.WITHDRAWN)
    AttendanceRecord.objects.create(
        session=today,
        participant=roster.participants[0],
        status="late",
        source="web",
        recorded_at=timezone.now(),
    )
    client.force_login(trainer)
    response = client.get("/today/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = _today_rows(html)
    assert set(rows) == {str(today.pk), str(in_a_week.pk)}
    for excluded in (too_late, yesterday, cancelled, others):
        assert str(excluded.pk) not in rows
    row = rows[str(today.pk)]
    assert f'href="/sessions/{today.pk}/attendance/"' in row
    assert "10:00" in row and "Khujand police school" in row
    assert re.search(r"<strong>3</strong>\s*enrolled", row), row  # the withdrawn person is not counted
    assert re.search(r"<strong>1</strong>\s*marked", row), row
    assert withdrawn.participant.full_name not in html
    assert "Asia/" not in html and "UTC+5" in html  # a zone named for people, never a tz name


def test_today_takes_a_fixed_number_of_queries(client, trainer):
    client.force_login(trainer)
    client.get("/today/")  # the first request of a login does its one-off work (session, last login)
    counts, shown = [], []
    for sessions, people in ((1, 2), (6, 20)):
        for _ in range(sessions):
            roster = make_roster(people, trainers=[trainer], starts_in=timedelta(days=-30))
            session = _session_at(roster.delivery, days=1)
            for participant in roster.participants[::2]:
                AttendanceRecord.objects.create(
                    session=session,
                    participant=participant,
                    status="present",
                    source="web",
                    recorded_at=timezone.now(),
                )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/today/")
        counts.append(len(queries))
        shown.append(len(_today_rows(response.content.decode())))
    assert shown == [1, 7]
    assert counts[0] == counts[1], counts


def test_coordinator_who_runs_no_session_gets_an_empty_today(client, make_user):
    coordinator = make_user(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    roster = make_roster(2, starts_in=timedelta(days=-30))
    session = _session_at(roster.delivery, days=0)
    client.force_login(coordinator)
    response = client.get("/today/")
    assert response.status_code == 200
    assert _today_rows(response.content.decode()) == {}
    assert f"/sessions/{session.pk}/attendance/" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CURRICULUM_EDITOR])
def test_people_who_run_no_training_are_refused(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/today/").status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/today/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_today_comes_first_in_a_trainers_navigation(client, trainer):
    client.force_login(trainer)
    html = client.get("/today/").content.decode()
    nav = html[html.index("<nav") :]
    assert nav.index('href="/today/"') < nav.index('href="/deliveries/"')


def test_trainer_lands_on_today_after_login(client, trainer):
    trainer.set_password("a long enough password 1")
    trainer.save()
    response = client.post(
        reverse("accounts:login"), {"username": trainer.username, "password": "a long enough password 1"}
    )
    assert response.status_code == 302 and response["Location"] == "/today/"


def test_staff_who_are_not_trainers_land_where_they_did(client, make_user):
    staff = make_user(Role.ME_STAFF)
    staff.set_password("a long enough password 1")
    staff.save()
    response = client.post(
        reverse("accounts:login"), {"username": staff.username, "password": "a long enough password 1"}
    )
    assert response.status_code == 302 and response["Location"] != "/today/"


def test_a_next_address_still_wins_after_login(client, trainer):
    trainer.set_password("a long enough password 1")
    trainer.save()
    response = client.post(
        reverse("accounts:login") + "?next=/deliveries/",
        {"username": trainer.username, "password": "a long enough password 1", "next": "/deliveries/"},
    )
    assert response["Location"] == "/deliveries/"


def test_delivery_page_links_each_session_roster_for_those_who_may_mark(client, trainer, make_user):
    roster = make_roster(1, trainers=[trainer])
    client.force_login(trainer)
    html = client.get(f"/deliveries/{roster.delivery.pk}/").content.decode()
    assert f'href="/sessions/{roster.session.pk}/attendance/"' in html
    trainee = make_user(Role.TRAINEE)
    client.force_login(trainee)
    response = client.get(f"/deliveries/{roster.delivery.pk}/")
    assert f'href="/sessions/{roster.session.pk}/attendance/"' not in response.content.decode()
