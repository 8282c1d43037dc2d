"""The session and the signed-in user, read on every request with written-out statements
(accounts.sessions, accounts.signed_in, the backends' OneStatementUserRead.get_user), mean what
Django's own reads mean."""

import importlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from accounts.backends import PasswordBackend, PersonalCodeBackend
from accounts.models import SignInSession
from accounts.personal_codes import CODE_SESSION_KEY, code_digest, code_fingerprint, personal_code_issue
from accounts.roles import Role
from accounts.sessions import SessionStore
from accounts.signed_in import user_read_with_session
from accounts.tests.factories import UserFactory, user_with_role

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
    SignInSession.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
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


def _reads_of_who_is_signed_in(queries) -> list[str]:
    """The statements of a request that read the session, the user or their groups."""
    tables = (SignInSession._meta.db_table, "auth_user", "auth_group")
    return [
        query["sql"] for query in queries.captured_queries if any(table in query["sql"] for table in tables)
    ]


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
    # The session, the user, their code's digest and their roles (Today asks whether they train).
    reads = _reads_of_who_is_signed_in(queries)
    assert len(reads) == 1 and "personalcode" in reads[0] and "auth_group" in reads[0], reads


def test_a_code_session_is_read_in_the_one_statement(client):
    trainee = user_with_role(Role.TRAINEE)
    code = personal_code_issue(user=trainee, issued_by=None)
    assert client.post("/accounts/code/", {"code": code}).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/my/")
    assert response.status_code == 200 and response.wsgi_request.user.pk == trainee.pk
    assert len(_reads_of_who_is_signed_in(queries)) == 1


def test_each_session_row_names_its_user_and_a_session_without_one_names_nobody(client):
    trainer = user_with_role(Role.TRAINER)
    client.force_login(trainer)
    assert SignInSession.objects.get(session_key=client.session.session_key).user_id == trainer.pk
    key = _stored_session(greeting="салом")
    assert SignInSession.objects.get(session_key=key).user_id is None
    client.logout()
    assert not SignInSession.objects.filter(user=trainer).exists()


def _user_read_with_session(user) -> object:
    client = Client()
    client.force_login(user)
    store = SessionStore(client.session.session_key)
    store.load()
    return store.signed_in_user


def test_the_roles_read_with_the_session_are_those_read_on_their_own():
    admin_permission = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    people = [
        user_with_role(Role.TRAINEE),
        user_with_role(Role.TRAINER),
        user_with_role(Role.CURRICULUM_EDITOR),  # the admin through a group
        UserFactory(),  # no group at all
    ]
    people[1].groups.add(Group.objects.get(name=Role.REGIONAL_COORDINATOR))
    people[0].user_permissions.add(admin_permission)  # the admin given to the person alone
    for person in people:
        read_with_session = _user_read_with_session(person)
        read_alone = User.objects.get(pk=person.pk)
        assert read_with_session.pk == person.pk
        assert roles.role_names(read_with_session) == roles.role_names(read_alone)
        assert roles.may_open_admin(read_with_session) is roles.may_open_admin(read_alone)
    assert roles.may_open_admin(_user_read_with_session(people[0])) is True
    assert roles.role_names(_user_read_with_session(people[1])) == {Role.TRAINER, Role.REGIONAL_COORDINATOR}
    assert roles.role_names(_user_read_with_session(people[3])) == frozenset()


def test_a_session_whose_column_names_someone_else_signs_in_whom_its_data_names(client):
    trainer, other = user_with_role(Role.TRAINER), user_with_role(Role.TRAINER)
    client.force_login(trainer)
    SignInSession.objects.filter(session_key=client.session.session_key).update(user=other)
    response = client.get("/today/")
    assert response.status_code == 200 and response.wsgi_request.user.pk == trainer.pk


def test_a_changed_password_still_ends_the_sessions_read_with_their_user(client):
    trainer = user_with_role(Role.TRAINER)
    client.force_login(trainer)
    assert client.get("/today/").wsgi_request.user.pk == trainer.pk
    trainer.set_password("a-new-long-password")
    trainer.save()
    response = client.get("/today/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SESSION_KEY not in client.session


def test_a_deactivated_user_read_with_the_session_is_not_signed_in(client):
    trainer = user_with_role(Role.TRAINER)
    client.force_login(trainer)
    User.objects.filter(pk=trainer.pk).update(is_active=False)
    response = client.get("/today/")
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated


def test_the_user_read_with_a_session_is_offered_only_while_django_asks_for_it(client):
    trainer = user_with_role(Role.TRAINER)
    client.force_login(trainer)
    assert client.get("/today/").wsgi_request.user.pk == trainer.pk
    assert user_read_with_session(trainer.pk) is None  # nothing left behind for the next request


def test_the_deploy_moves_live_sessions_to_the_new_table_with_their_users():
    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
    from django.contrib.sessions.models import Session as DjangoSession

    migration = importlib.import_module("accounts.migrations.0004_sign_in_sessions")
    trainer = user_with_role(Role.TRAINER)
    signed_in = DjangoSessionStore()
    signed_in.update({SESSION_KEY: str(trainer.pk), "greeting": "салом"})
    signed_in.create()
    anonymous, expired = DjangoSessionStore(), DjangoSessionStore()
    anonymous.create()
    expired.create()
    DjangoSession.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now())
    migration.move_live_sessions(apps, None)
    moved = {session.session_key: session for session in SignInSession.objects.all()}
    assert set(moved) == {signed_in.session_key, anonymous.session_key}
    assert moved[signed_in.session_key].user_id == trainer.pk
    assert moved[anonymous.session_key].user_id is None
    assert SessionStore(signed_in.session_key).load() == {SESSION_KEY: str(trainer.pk), "greeting": "салом"}
    assert not DjangoSession.objects.exists()


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
