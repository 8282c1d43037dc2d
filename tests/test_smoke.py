"""Every page of the foundation answers, for every role, in every language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_renders_for_anonymous_visitor(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<a class="skip-link" href="#main">' in response.content
    assert b'<main id="main"' in response.content


def test_home_page_renders_for_every_role(client, any_role_user):
    client.force_login(any_role_user)
    response = client.get("/")
    assert response.status_code == 200
    assert any_role_user.get_full_name().encode() in response.content


def test_login_page_renders(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_wagtail_admin_login_renders(client):
    assert client.get("/admin/login/").status_code == 200


def test_health_check_reaches_database(client):
    response = client.get(reverse("core:health"))
    assert response.json() == {"status": "ok"}


def test_login_with_wrong_password_says_so_and_logs_nobody_in(client, make_user):
    make_user(None, username="someone")
    response = client.post(reverse("accounts:login"), {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert b"form-errors" in response.content
    assert "_auth_user_id" not in client.session


def test_login_then_logout_ends_the_session(client, make_user):
    make_user(None, username="someone")
    response = client.post(reverse("accounts:login"), {"username": "someone", "password": "pass-Word-123"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_unknown_page_answers_404_not_500(client):
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Перейти к основному содержанию"),
        ("tg", "Гузариш ба мундариҷаи асосӣ"),
        ("ky", "Негизги мазмунга өтүү"),
    ],
)
def test_language_switcher_changes_the_interface_language(client, language, expected):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert f'lang="{language}"'.encode() in response.content
    assert expected in response.content.decode()


def test_home_page_is_served_in_the_visitors_language_where_translated(client, django_user_model):
    from core.demo import load as load_site_demo

    load_site_demo(log=lambda message: None, context={})
    client.post(reverse("set_language"), {"language": "tg", "next": "/"})
    response = client.get("/")
    assert "милитсияи ҷамъиятӣ" in response.content.decode()
