"""Trainees sign in with a personal code; guessing is throttled; codes are never stored in clear."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import PersonalCode, ThrottleCount
from accounts.personal_codes import CODE_ALPHABET, normalise_code, personal_code_issue
from accounts.roles import Role
from accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("accounts:code_login")


@pytest.fixture
def trainee_and_code():
    trainee = user_with_role(Role.TRAINEE, first_name="Малика", last_name="Ҷалолова")
    return trainee, personal_code_issue(user=trainee, issued_by=None)


def test_code_is_short_unambiguous_and_stored_only_as_a_digest(trainee_and_code):
    trainee, code = trainee_and_code
    assert len(normalise_code(code)) == 8
    assert set(normalise_code(code)) <= set(CODE_ALPHABET)
    assert not set("0O1IL5S2Z") & set(normalise_code(code))
    assert normalise_code(code) not in PersonalCode.objects.get(user=trainee).digest


def test_trainee_signs_in_with_code_typed_loosely(client, trainee_and_code):
    trainee, code = trainee_and_code
    response = client.post(URL, {"code": f" {code.lower()} "})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(trainee.pk)


def test_wrong_code_is_refused_with_a_clear_message(client, trainee_and_code):
    response = client.post(URL, {"code": "ABCD-EFGH"})
    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_reissuing_a_code_invalidates_the_old_slip(client, trainee_and_code):
    trainee, old_code = trainee_and_code
    new_code = personal_code_issue(user=trainee, issued_by=None)
    assert client.post(URL, {"code": old_code}).status_code == 200
    assert client.post(URL, {"code": new_code}).status_code == 302


def test_five_wrong_codes_lock_out_even_the_right_code_and_say_when(client, trainee_and_code):
    _trainee, code = trainee_and_code
    for _attempt in range(5):
        response = client.post(URL, {"code": "WXYZ-WXYZ"})
    assert response.status_code == 429
    response = client.post(URL, {"code": code})
    assert response.status_code == 429
    assert "Try again in 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_ends_when_the_window_passes(client, trainee_and_code):
    _trainee, code = trainee_and_code
    for _attempt in range(5):
        client.post(URL, {"code": "WXYZ-WXYZ"})
    for count in ThrottleCount.objects.all():
        count.window_started_at -= timedelta(minutes=31)
        count.save()
    assert client.post(URL, {"code": code}).status_code == 302


def test_deactivated_user_cannot_sign_in_with_code(client, trainee_and_code):
    trainee, code = trainee_and_code
    trainee.is_active = False
    trainee.save()
    assert client.post(URL, {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Попробуйте снова через 30 минут."),
        ("tg", "Баъд аз 30 дақиқа боз кӯшиш кунед."),
        ("ky", "30 мүнөттөн кийин кайра аракет кылыңыз."),
    ],
)
def test_lockout_message_is_in_the_visitors_language_with_its_plural_form(client, language, expected):
    for _attempt in range(5):
        response = client.post(URL, {"code": "WXYZ-WXYZ"}, HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.content.decode()


def test_sign_in_returns_to_a_local_next_page_but_never_to_another_site(client, trainee_and_code):
    _trainee, code = trainee_and_code
    response = client.post(URL, {"code": code, "next": "/check-in/?code=AB12"})
    assert response["Location"] == "/check-in/?code=AB12"
    client.logout()
    response = client.post(URL, {"code": code, "next": "https://evil.example/"})
    assert "evil.example" not in response["Location"]


def test_check_in_link_sends_a_signed_out_trainee_to_the_code_sign_in(client):
    response = client.get("/check-in/?code=AB12")
    assert response.status_code == 302
    assert response["Location"].startswith(URL)


def test_wrong_code_message_is_translated(client):
    response = client.post(URL, {"code": "ABCD-EFGH"}, HTTP_ACCEPT_LANGUAGE="tg")
    assert "Ин рамз эътибор надорад" in response.content.decode()
