"""403, 404 and 500 pages: the site's layout, translated, saying what happened, with a way back."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from accounts.roles import Role
from config import urls
from core import views
from curriculum.tests.factories import make_course, make_module

pytestmark = pytest.mark.django_db

# What each page says, per language (the msgids are in templates/403.html, 404.html, 500.html).
HEADINGS = {
    "tg": {403: "Дастрасӣ манъ аст", 404: "Саҳифа ёфт нашуд", 500: "Хатогӣ рух дод"},
    "ky": {403: "Кирүүгө уруксат жок", 404: "Барак табылган жок", 500: "Ката кетти"},
}
BRAND = {"tg": "Ҳамкорӣ", "ky": "Хамкори"}
HOME = {"tg": "Ба саҳифаи асосӣ", "ky": "Башкы бетке өтүү"}
MY_TRAINING = {"tg": "Бозгашт ба омӯзиши ман", "ky": "Менин окууума кайтуу"}


def assert_site_page(html: str, language: str, status: int) -> None:
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and f'class="brand" href="/">{BRAND[language]}<' in html
    assert 'class="site-footer"' in html
    assert f"<h1>{HEADINGS[language][status]}</h1>" in html


def broken_context_processor(request):
    raise RuntimeError("a context processor that fails, as the navigation might when the database is down")


def test_the_handlers_are_ours():
    assert urls.handler403 == "core.views.permission_denied"
    assert urls.handler404 == "core.views.page_not_found"
    assert urls.handler500 == "core.views.server_error"


@pytest.mark.parametrize("language", ["tg", "ky"])
def test_404_in_the_site_layout_with_a_way_home(client, language):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    html = response.content.decode()
    assert_site_page(html, language, 404)
    assert f'<a class="button" href="/">{HOME[language]}</a>' in html


@pytest.mark.parametrize("language", ["tg", "ky"])
def test_403_on_a_facilitator_pdf_sends_the_trainee_back_to_my_training(client, make_user, language):
    module = make_module(make_course(title="Community Policing Foundations"), title="Building trust")
    client.force_login(make_user(Role.TRAINEE))
    response = client.get(module.url + "facilitator.pdf", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    html = response.content.decode()
    assert_site_page(html, language, 403)
    assert f'<a class="button" href="/my/">{MY_TRAINING[language]}</a>' in html


@pytest.mark.parametrize("language", ["tg", "ky"])
def test_500_renders_without_context_processors_or_the_database(client, settings, monkeypatch, language):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.broken_context_processor",
                ],
            },
        }
    ]

    class NoDatabase:
        def cursor(self):
            raise RuntimeError("database unreachable")

    monkeypatch.setattr(views, "connection", NoDatabase())
    client.raise_request_exception = False
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    html = response.content.decode()
    assert_site_page(html, language, 500)
    assert f'<a class="button" href="/">{HOME[language]}</a>' in html


def test_500_falls_back_to_a_plain_page_when_the_template_cannot_be_drawn(monkeypatch):
    def missing_template(name):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(views.loader, "get_template", missing_template)
    with translation.override("tg"):
        response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Server error (500)" in response.content
