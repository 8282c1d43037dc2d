"""The staff idle timeout keeps working without writing the session on every request (issue 18)."""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import SignInSession
from accounts.roles import Role
from core import middleware

pytestmark = pytest.mark.django_db
TRAINER_PAGE = "/deliveries/"


def _session_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if SignInSession._meta.db_table in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


@pytest.fixture
def clock(monkeypatch):
    """Time travel: the middleware's clock, moved by `clock.now += seconds`."""

    class Clock:
        now = time.time()

    monkeypatch.setattr(middleware.time, "time", lambda: Clock.now)
    return Clock


def test_a_second_trainer_request_within_the_interval_does_not_write_the_session(client, make_user, clock):
    client.force_login(make_user(Role.TRAINER))
    assert client.get(TRAINER_PAGE).status_code == 200
    clock.now += django_settings.HAMKORI_IDLE_TOUCH_SECONDS / 2
    with CaptureQueriesContext(connection) as queries:
        response = client.get(TRAINER_PAGE)
    assert response.status_code == 200
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert _session_writes(queries) == []


def test_the_last_seen_time_moves_once_the_interval_has_passed(client, make_user, clock):
    client.force_login(make_user(Role.TRAINER))
    client.get(TRAINER_PAGE)
    first = client.session[middleware.LAST_SEEN_KEY]
    clock.now += django_settings.HAMKORI_IDLE_TOUCH_SECONDS + 1
    with CaptureQueriesContext(connection) as queries:
        client.get(TRAINER_PAGE)
    assert len(_session_writes(queries)) == 1
    assert client.session[middleware.LAST_SEEN_KEY] == pytest.approx(
        first + django_settings.HAMKORI_IDLE_TOUCH_SECONDS + 1
    )


def test_the_idle_timeout_still_signs_out_after_the_idle_hours(client, make_user, clock, settings):
    settings.HAMKORI_STAFF_IDLE_HOURS = 1
    client.force_login(make_user(Role.TRAINER))
    client.get(TRAINER_PAGE)
    for _step in range(3):  # active now and then: each request within the interval keeps the session
        clock.now += django_settings.HAMKORI_IDLE_TOUCH_SECONDS / 2
        assert client.get(TRAINER_PAGE).wsgi_request.user.is_authenticated
    clock.now += 3600 + django_settings.HAMKORI_IDLE_TOUCH_SECONDS + 1
    client.get(TRAINER_PAGE)
    assert "_auth_user_id" not in client.session


def test_an_image_response_never_writes_the_session(rf, make_user, clock):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    request = rf.get("/media/images/photo.jpg")
    request.user = make_user(Role.TRAINER)
    request.session = SessionStore()
    response = middleware.StaffIdleTimeoutMiddleware(
        lambda request: HttpResponse(b"\x89PNG", content_type="image/png")
    )(request)
    assert response.status_code == 200
    assert not request.session.modified
