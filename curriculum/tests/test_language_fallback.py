"""Fallback tg → ru → en and ky → ru → en for course pages, module pages and the catalogue (issue 16, item 2).

A Tajik or Kyrgyz reader reads Russian before English: a course without a
translation in their language is served in Russian at the same address, with a
notice in their language naming the language shown, and the content marked
with its `lang`.
"""

import re

import pytest
from django.conf import settings

from core.languages import best_language, best_translation, fallback_chain, translated_name
from curriculum.tests.factories import make_course, make_module, translate

pytestmark = pytest.mark.django_db

RUSSIAN_TITLE = "Основы общественной полиции"
RUSSIAN_MODULE = "Укрепление доверия"


@pytest.fixture
def course_in_en_and_ru():
    course = make_course(title="Community Policing Foundations")
    module = make_module(course, title="Building trust")
    translate(course, "ru", title=RUSSIAN_TITLE, summary="Курс для участковых")
    translate(module, "ru", title=RUSSIAN_MODULE)
    return course, module


@pytest.mark.parametrize(
    ("language", "chain"),
    [
        ("tg", ["tg", "ru", "en", "ky"]),
        ("ky", ["ky", "ru", "en", "tg"]),
        ("ru", ["ru", "en", "tg", "ky"]),
        ("en", ["en", "ru", "tg", "ky"]),
        ("ky-kg", ["ky", "ru", "en", "tg"]),
    ],
)
def test_fallback_chain_puts_russian_before_english_for_tajik_and_kyrgyz(language, chain):
    assert fallback_chain(language) == chain


def test_best_language_and_translation_follow_the_chain():
    assert best_language(["en", "ru"], "ky") == "ru"
    assert best_language(["en", "tg"], "ky") == "en"
    assert best_language(["ky", "ru"], "ky") == "ky"
    assert best_language([], "ky") is None
    assert translated_name({"en": "Sughd", "ru": "Согд", "ky": ""}, "ky") == "Согд"
    assert translated_name({"en": "Sughd"}, "tg") == "Sughd"
    items = [("en", "Sughd"), ("ru", "Согд")]
    assert best_translation(items, "tg", language_of=lambda item: item[0]) == ("ru", "Согд")


def _notice(html: str) -> str:
    match = re.search(r'<p class="language-notice"[^>]*>(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("language", "russian_name"), [("ky", "орусча"), ("tg", "русӣ")], ids=["ky", "tg"])
def test_reader_of_an_untranslated_course_gets_russian_with_a_notice(
    client, course_in_en_and_ru, language, russian_name
):
    course, _module = course_in_en_and_ru
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(course.url)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}"' in html
    assert f'<h1 lang="ru">{RUSSIAN_TITLE}</h1>' in html
    notice = _notice(html)
    assert notice, "the page says it is not in the reader's language"
    assert russian_name in notice.lower()
    assert "Community Policing Foundations" not in html


@pytest.mark.parametrize("language", ["ky", "tg"])
def test_reader_of_an_untranslated_module_gets_russian_with_a_notice(client, course_in_en_and_ru, language):
    _course, module = course_in_en_and_ru
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(module.url)
    assert response.status_code == 200
    assert f'<h1 lang="ru">{RUSSIAN_MODULE}</h1>' in response.text
    assert _notice(response.text)


def test_russian_reader_of_an_english_only_course_gets_english_marked_as_english(client):
    course = make_course(title="Youth and schools")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(course.url)
    assert '<h1 lang="en">Youth and schools</h1>' in response.text
    assert _notice(response.text)


def test_reader_in_their_own_language_gets_no_notice_and_no_extra_lang(client, course_in_en_and_ru):
    course, _module = course_in_en_and_ru
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(course.url)
    assert f"<h1>{RUSSIAN_TITLE}</h1>" in response.text
    assert not _notice(response.text)


@pytest.mark.parametrize("language", ["ky", "tg"])
def test_catalogue_lists_each_course_once_in_the_best_language(client, course_in_en_and_ru, language):
    make_course(title="Safe Schools")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/courses/")
    titles = [entry.course.title for entry in response.context["listing"]["entries"]]
    assert sorted(titles) == sorted([RUSSIAN_TITLE, "Safe Schools"])
    html = response.text
    assert re.search(rf'<h3 lang="ru"><a [^>]*>{RUSSIAN_TITLE}</a></h3>', html)
    assert re.search(r'<h3 lang="en"><a [^>]*>Safe Schools</a></h3>', html)


def test_catalogue_prefers_the_readers_own_translation(client, course_in_en_and_ru):
    course, _module = course_in_en_and_ru
    translate(course, "ky", title="Коомдук полициянын негиздери")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ky"
    response = client.get("/courses/")
    assert [entry.course.title for entry in response.context["listing"]["entries"]] == [
        "Коомдук полициянын негиздери"
    ]
    assert "<h3><a" in response.text
