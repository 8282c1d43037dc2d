"""Course, module and catalogue pages: their query count does not grow with the translations (issue 18).

Routing picks the reader's best translation of the page asked for; it read each translation's
locale with a query of its own, so every translation added a query to every course page.
These count a request that reads the page's content (the content version replaced first, as
any change to the curriculum does); the content kept by curriculum.content_cache is tested in
test_content_cache.py.
"""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page

from curriculum.content_cache import note_content_changed
from curriculum.tests.factories import catalogue, make_course, make_module, translate

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    client.get(url)
    note_content_changed()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page_kind", ["course", "module", "catalogue"])
def test_page_queries_do_not_grow_with_translations(client, page_kind):
    course = make_course(title="Community Policing Foundations")
    module = make_module(course, title="Building trust")
    url = {"course": course.url, "module": module.url, "catalogue": "/courses/"}[page_kind]
    with translation.override("en"):
        one_language = queries_for(client, url)
        for language in ("ru", "tg", "ky"):
            translate(course, language)
            translate(module, language)
        four_languages = queries_for(client, url)
    assert one_language == four_languages, f"{one_language} queries in one language, {four_languages} in four"


def test_a_russian_reader_still_gets_the_russian_translation(client):
    course = make_course(title="Community Policing Foundations")
    translate(course, "ru", title="Основы общественной полиции")
    client.cookies["django_language"] = "ru"
    response = client.get(course.url, headers={"accept-language": "ru"})
    assert response.status_code == 200
    assert "Основы общественной полиции" in response.text


# The whole of an anonymous visitor's request, Wagtail's routing included (site, locale, home, alias
# and privacy checks): before the typed routing of issue 18 a course cost 17 queries and a module 16,
# because Page.route read every path segment twice (a plain page, then its specific class) and
# looked up each page's translations even when it was already in the reader's language. One more
# since: the content version the page's content is kept under (curriculum.content_cache). One fewer
# since: the home page steps to the catalogue in one query (core.models.HomePage.route).
@pytest.mark.parametrize(("page_kind", "most_queries"), [("course", 14), ("module", 11)])
def test_routing_reads_each_path_segment_once(client, page_kind, most_queries):
    course = make_course(title="Community Policing Foundations")
    module = make_module(course, title="Building trust")
    with translation.override("en"):
        count = queries_for(client, course.url if page_kind == "course" else module.url)
    assert count <= most_queries


def test_the_catalogue_reads_the_view_restrictions_once_for_its_listing(client):
    """Wagtail's `public()` reads every view restriction when it is called: the catalogue filters and
    names its courses from one such queryset, so besides the check of the catalogue page itself
    (Wagtail's, before serving) the restrictions are read once, not once per use (issue 18)."""
    make_module(make_course(title="Community Policing Foundations"), title="Building trust")
    client.get("/courses/")
    note_content_changed()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/courses/").status_code == 200
    restriction_reads = [query for query in queries if "wagtailcore_pageviewrestriction" in query["sql"]]
    assert len(restriction_reads) == 2, [query["sql"][:120] for query in restriction_reads]


def test_the_home_page_reads_the_catalogue_once_on_the_way_to_a_course(client):
    course = make_course(title="Community Policing Foundations")
    client.get(course.url)
    note_content_changed()  # the walk, not the route kept from the first request (curriculum.routing)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(course.url).status_code == 200
    catalogue_reads = [query["sql"] for query in queries if "'courses'" in query["sql"]]
    assert len(catalogue_reads) == 1, catalogue_reads
    assert "curriculum_courseindexpage" in catalogue_reads[0]


def test_another_child_of_the_home_page_is_routed_as_wagtail_routes_it():
    home = catalogue().get_parent().specific
    about = home.add_child(instance=Page(title="About the programme", slug="about"))
    request = RequestFactory().get("/about/")
    assert home.route(request, ["about"]).page == about
    with pytest.raises(Http404):
        home.route(request, ["no-such-page"])


def test_an_unpublished_catalogue_is_not_served(client):
    make_course(title="Community Policing Foundations")
    assert client.get("/courses/").status_code == 200
    catalogue().unpublish()
    assert client.get("/courses/").status_code == 404
