"""Login throttling, session rules and security headers."""

import time

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.middleware import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def test_five_wrong_passwords_lock_the_username_and_say_when_to_try_again(client, make_user):
    make_user(Role.ME_STAFF, username="officer")
    for _attempt in range(5):
        client.post(LOGIN, {"username": "officer", "password": "wrong"})
    response = client.post(LOGIN, {"username": "officer", "password": "pass-Word-123"})
    assert response.status_code == 429
    assert "Try again in 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_can_unlock_a_locked_username(client, make_user):
    from axes.utils import reset

    make_user(Role.ME_STAFF, username="officer")
    for _attempt in range(5):
        client.post(LOGIN, {"username": "officer", "password": "wrong"})
    reset(username="officer")
    response = client.post(LOGIN, {"username": "officer", "password": "pass-Word-123"})
    assert response.status_code == 302


def test_login_issues_a_new_session_key(client, make_user):
    make_user(Role.ME_STAFF, username="officer")
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    client.post(LOGIN, {"username": "officer", "password": "pass-Word-123"})
    assert client.session.session_key != before


def test_idle_staff_session_ends_after_the_configured_hours(client, make_user, settings):
    settings.HAMKORI_STAFF_IDLE_HOURS = 8
    client.force_login(make_user(Role.ME_STAFF))
    client.get("/")
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 8 * 3600 - 60
    session.save()
    client.get("/")
    assert "_auth_user_id" not in client.session


def test_active_staff_session_continues(client, make_user):
    client.force_login(make_user(Role.ME_STAFF))
    client.get("/")
    client.get("/")
    assert "_auth_user_id" in client.session


def test_deactivating_a_user_ends_their_sessions(client, make_user):
    user = make_user(Role.TRAINER)
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get("/")
    assert response.wsgi_request.user.is_anonymous


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/code/"])
def test_public_pages_send_a_strict_content_security_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_wagtail_admin_gets_its_looser_policy_only_there(client, make_user):
    client.force_login(make_user(None))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy
    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"]
