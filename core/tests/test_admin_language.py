"""The Wagtail admin reads as one language (issue 16, item 7): Russian for Tajik and Kyrgyz readers."""

import re

import pytest
from django.conf import settings
from wagtail.admin.localization import get_available_admin_languages

from accounts.roles import Role

pytestmark = pytest.mark.django_db

# Strings of Wagtail's own Russian catalogue on the dashboard.
WAGTAIL_RUSSIAN = "Панель управления"  # "Dashboard"


@pytest.mark.parametrize("language", ["tg", "ky"])
def test_tajik_or_kyrgyz_editor_sees_the_admin_in_russian(client, make_user, language):
    client.force_login(make_user(Role.CURRICULUM_EDITOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="ru"', html)
    assert WAGTAIL_RUSSIAN in html
    assert ">Dashboard<" not in html


def test_english_and_russian_readers_keep_their_language(client, make_user):
    client.force_login(make_user(None))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert re.search(r'<html lang="en"', client.get("/admin/").content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert WAGTAIL_RUSSIAN in client.get("/admin/").content.decode()


def test_site_pages_stay_in_tajik(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tg"
    assert re.search(r'<html lang="tg"', client.get("/").content.decode())


def test_admin_language_choices_are_the_languages_wagtail_translates():
    assert [code for code, _name in get_available_admin_languages()] == ["en", "ru"]


def test_admin_menu_labels_wrap_instead_of_being_cut(client, make_user):
    client.force_login(make_user(None))
    html = client.get("/admin/").content.decode()
    assert "/static/css/admin.css" in html
    css = (settings.BASE_DIR / "static" / "css" / "admin.css").read_text()
    assert re.search(r"\.menuitem-label\s*\{[^}]*white-space:\s*normal", css)
