"""The OpenAPI schema of /api/v1/: served, accurate enough for schemathesis, and no input it allows
(or breaks) makes a server error. Plus the staff page that lists it, and the token command."""

import io

import hypothesis
import pytest
import schemathesis
from django.core.management import CommandError, call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode

from accounts.roles import Role
from attendance.tests.factories import make_roster
from config.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 15


def test_schema_lists_every_endpoint_for_signed_in_users(make_user):
    client = APIClient()
    assert client.get(reverse("api:schema")).status_code == 401
    client.force_login(make_user(Role.TRAINEE))
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert set(schema["paths"]) == {
        "/api/v1/me/sessions/",
        "/api/v1/sessions/{id}/roster/",
        "/api/v1/attendance/batches/",
        "/api/v1/tests/{delivery_id}/{phase}/",
        "/api/v1/tests/{delivery_id}/{phase}/submit/",
    }
    operation = schema["paths"]["/api/v1/attendance/batches/"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/BatchInRequest"
    )


def _run_generated_cases(operation, *, headers, path_parameters=None, mode=GenerationMode.POSITIVE):
    options = {"path_parameters": path_parameters} if path_parameters else {}
    strategy = operation.as_strategy(generation_mode=mode, **options)

    @given(case=strategy)
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
        content_type = (response.headers.get("content-type") or [""])[0]
        assert content_type.startswith("application/json"), (case.formatted_path, response.status_code)

    run()


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Called through WSGI, Django would close the database connection after each request (and
    with it the test's transaction, on PostgreSQL); Django's own test client holds it open so."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error(make_user, wsgi_keeps_the_test_connection):
    """Every operation with generated input as a trainer (token auth): valid input with random ids,
    input the schema forbids, and valid input with the ids of the trainer's own session and
    delivery, so that the cases reach the services too."""
    trainer = make_user(Role.TRAINER)
    roster = make_roster(3, trainers=[trainer])
    token = Token.objects.create(user=trainer)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=headers)
    own = {"id": roster.session.pk, "delivery_id": roster.delivery.pk}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:
        _run_generated_cases(operation, headers=headers)
        if operation.body or operation.path_parameters:
            # Input the schema forbids (wrong types, missing fields, …): refused, never a 5xx.
            _run_generated_cases(operation, headers=headers, mode=GenerationMode.NEGATIVE)
        names = {parameter.name for parameter in operation.path_parameters}
        if names:
            _run_generated_cases(
                operation, headers=headers, path_parameters={name: own[name] for name in names if name in own}
            )


# The staff page -------------------------------------------------------------------------------------


def test_browse_page_lists_the_operations_in_the_site_layout(client, make_user):
    client.force_login(make_user(Role.ME_STAFF))
    response = client.get(reverse("api:schema_browse"))
    assert response.status_code == 200
    html = response.content.decode()
    for path in (
        "/api/v1/me/sessions/",
        "/api/v1/attendance/batches/",
        "/api/v1/tests/{delivery_id}/{phase}/submit/",
    ):
        assert f"<code>{path}</code>" in html
    assert 'id="schema-BatchInRequest"' in html
    assert 'class="site-header"' in html
    assert "cdn" not in html.lower() and "swagger" not in html.lower()


def test_browse_page_is_translated(client, make_user):
    client.force_login(make_user(None))
    response = client.get(reverse("api:schema_browse"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.REGIONAL_COORDINATOR, Role.TRAINEE])
def test_browse_page_is_for_programme_staff_only(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("api:schema_browse")).status_code == 403


def test_browse_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("api:schema_browse"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Tokens ----------------------------------------------------------------------------------------------


def test_api_token_creates_rotates_and_revokes(make_user):
    user = make_user(Role.TRAINER)
    out = io.StringIO()
    call_command("api_token", user.username, stdout=out, stderr=io.StringIO())
    first = out.getvalue().strip()
    assert Token.objects.get(user=user).key == first
    out = io.StringIO()
    call_command("api_token", user.username, stdout=out, stderr=io.StringIO())
    second = out.getvalue().strip()
    assert second != first and Token.objects.get(user=user).key == second
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get(reverse("api:my_sessions")).status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.get(reverse("api:my_sessions")).status_code == 200
    call_command("api_token", user.username, "--revoke", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Token.objects.filter(user=user).exists()


def test_api_token_refuses_unknown_and_inactive_users(make_user):
    with pytest.raises(CommandError):
        call_command("api_token", "nobody-here", stdout=io.StringIO(), stderr=io.StringIO())
    inactive = make_user(Role.TRAINER, is_active=False)
    with pytest.raises(CommandError):
        call_command("api_token", inactive.username, stdout=io.StringIO(), stderr=io.StringIO())
