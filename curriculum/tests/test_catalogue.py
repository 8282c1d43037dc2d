"""The catalogue at /courses/: filters in the URL, search, pagination, fixed query count."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.tests.factories import catalogue, make_course, make_module, translate

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [entry.course.title for entry in response.context["listing"]["entries"]]


@pytest.fixture
def courses():
    police = make_course(
        title="Community Policing Foundations", audiences=("police",), topics=("human rights",)
    )
    make_module(police, minutes=90)
    make_module(police, minutes=30)
    youth = make_course(title="Safe Schools", audiences=("youth",), topics=("school safety",))
    gender = make_course(
        title="Responding to Violence", audiences=("police", "civil_society"), topics=("gender",)
    )
    return police, youth, gender


def test_navigation_names_the_catalogue():
    assert reverse("curriculum:catalogue") == "/courses/"


def test_catalogue_lists_live_courses_with_total_duration(client, courses):
    make_course(title="Unpublished", live=False)
    response = client.get("/courses/")
    assert titles(response) == ["Community Policing Foundations", "Responding to Violence", "Safe Schools"]
    assert response.context["listing"]["entries"][0].total_minutes == 120
    assert "2 hours" in response.text


def test_filters_combine_and_stay_in_the_url(client, courses):
    response = client.get("/courses/", {"audience": "police", "topic": "gender"})
    assert titles(response) == ["Responding to Violence"]
    assert 'value="police" selected' in response.text


def test_unknown_filter_value_is_ignored_and_the_other_filters_kept(client, courses):
    response = client.get("/courses/", {"audience": "aliens", "topic": "school-safety"})
    assert response.status_code == 200
    assert titles(response) == ["Safe Schools"]
    assert "errorlist" not in response.text


def test_search_finds_courses_by_their_words(client, courses):
    assert titles(client.get("/courses/", {"q": "schools"})) == ["Safe Schools"]


def test_language_filter_lists_courses_available_in_that_language(client, courses):
    police = courses[0]
    translate(police, "ru", title="Основы общественной полиции")
    response = client.get("/courses/", {"language": "ru"})
    assert titles(response) == ["Основы общественной полиции"]


def test_each_course_is_listed_once_in_the_visitors_language(client, courses):
    translate(courses[0], "ru", title="Основы общественной полиции")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/courses/")
    assert sorted(titles(response)) == sorted(
        ["Основы общественной полиции", "Responding to Violence", "Safe Schools"]
    )
    languages = {entry.course.title: entry.languages for entry in response.context["listing"]["entries"]}
    assert languages["Основы общественной полиции"] == ["en", "ru"]


def test_pagination_keeps_the_filters(client):
    for number in range(25):
        make_course(title=f"Course {number:02d}", audiences=("youth",))
    response = client.get("/courses/", {"audience": "youth"})
    assert len(response.context["listing"]["entries"]) == 20
    assert "?audience=youth&amp;page=2" in response.text
    assert len(client.get("/courses/", {"audience": "youth", "page": 2}).context["listing"]["entries"]) == 5


def _catalogue_queries(client, course_count: int) -> int:
    # Search indexing is what makes creating 200 pages slow, and the listing does not search.
    search = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
    with override_settings(WAGTAILSEARCH_BACKENDS=search):
        for number in range(course_count):
            course = make_course(
                title=f"Course {number:03d}", audiences=("police", "youth"), topics=("gender", "youth")
            )
            if number % 10 == 0:
                make_module(course, minutes=60)
    client.get("/courses/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/courses/", {"audience": "police"})
    assert response.status_code == 200
    assert len(response.context["listing"]["entries"]) == 20
    return len(queries)


def test_catalogue_query_count_is_the_same_for_20_and_200_courses(client):
    small = _catalogue_queries(client, 20)
    catalogue().get_children().delete()
    large = _catalogue_queries(client, 200)
    assert small == large, f"{small} queries with 20 courses, {large} with 200"
