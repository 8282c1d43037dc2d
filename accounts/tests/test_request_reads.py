"""The session and the signed-in user, read on every request with written-out statements
(accounts.sessions, the backends' OneStatementUserRead.get_user), mean what Django's own reads mean."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import PasswordBackend, PersonalCodeBackend
from accounts.personal_codes import CODE_SESSION_KEY, code_digest, code_fingerprint, personal_code_issue
from accounts.roles import Role
from accounts.sessions import SessionStore
from accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _stored_session(**data) -> str:
    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def test_a_live_session_is_read_back():
    key = _stored_session(greeting="салом")
    assert SessionStore(key).load() == {"greeting": "салом"}


def test_an_expired_session_reads_as_empty_and_its_key_is_forgotten():
    key = _stored_session(greeting="салом")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_unknown_key_reads_as_empty():
    store = SessionStore("no-such-session-key-at-all")
    assert store.load() == {}
    assert store.session_key is None


def test_a_trainee_signed_in_by_code_is_the_request_user(client):
    trainee = user_with_role(Role.TRAINEE)
    session = client.session
    session[SESSION_KEY] = str(trainee.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.PersonalCodeBackend"
    session["_auth_user_hash"] = trainee.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    response = client.get("/my/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == trainee.pk


BOTH_BACKENDS = pytest.mark.parametrize("backend_class", [PersonalCodeBackend, PasswordBackend])


@BOTH_BACKENDS
def test_the_backends_read_the_whole_user_with_its_types(backend_class):
    trainee = user_with_role(Role.TRAINEE, email="t@example.org")
    user = backend_class().get_user(str(trainee.pk))
    assert (user.pk, user.username, user.email) == (trainee.pk, trainee.username, "t@example.org")
    assert user.date_joined == trainee.date_joined  # an aware datetime on both databases
    assert user.password == trainee.password


@BOTH_BACKENDS
def test_the_backends_refuse_an_inactive_user_an_unknown_id_and_a_malformed_one(backend_class):
    trainee = user_with_role(Role.TRAINEE, is_active=False)
    backend = backend_class()
    assert backend.get_user(str(trainee.pk)) is None
    assert backend.get_user("999999") is None
    assert backend.get_user("not-a-number") is None


def test_a_code_session_is_checked_against_its_code_without_a_query_of_its_own(client):
    trainee = user_with_role(Role.TRAINEE)
    code = personal_code_issue(user=trainee, issued_by=None)
    assert client.post("/accounts/code/", {"code": code}).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my/").status_code == 200
    code_reads = [query["sql"] for query in queries.captured_queries if "personalcode" in query["sql"]]
    assert len(code_reads) == 1, code_reads  # read with the user, not again by the middleware
    assert "auth_user" in code_reads[0]


def test_signing_in_by_code_reads_the_code_once(client):
    trainee = user_with_role(Role.TRAINEE)
    code = personal_code_issue(user=trainee, issued_by=None)
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/accounts/code/", {"code": code}).status_code == 302
    code_reads = [
        query["sql"]
        for query in queries.captured_queries
        if "personalcode" in query["sql"] and query["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(code_reads) == 1, code_reads
    assert client.session[CODE_SESSION_KEY] == code_fingerprint(code_digest(code))


def test_a_password_session_is_read_in_the_one_statement(client):
    trainer = user_with_role(Role.TRAINER, password="a-long-trainer-password")
    signed_in = client.post(
        "/accounts/login/", {"username": trainer.username, "password": "a-long-trainer-password"}
    )
    assert signed_in.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.PasswordBackend"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/today/")
    assert response.status_code == 200 and response.wsgi_request.user.pk == trainer.pk
    user_reads = [query["sql"] for query in queries.captured_queries if 'FROM "auth_user"' in query["sql"]]
    assert len(user_reads) == 1 and "personal_code_digest" in user_reads[0], user_reads


def test_a_wrong_password_is_refused_and_a_session_of_the_retired_backend_ends(client):
    trainer = user_with_role(Role.TRAINER, password="a-long-trainer-password")
    refused = client.post("/accounts/login/", {"username": trainer.username, "password": "not-the-password"})
    assert refused.status_code == 200 and SESSION_KEY not in client.session
    # Sessions signed in before PasswordBackend replaced ModelBackend name a backend no longer listed.
    client.force_login(trainer, backend="accounts.backends.PasswordBackend")
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    response = client.get("/today/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
