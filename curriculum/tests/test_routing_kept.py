"""Where a catalogue address leads is kept under the content version (curriculum.routing, issue 18).

What must hold: a kept address reads its page and none of the pages above it; a renamed,
unpublished, moved or restricted page is routed as Wagtail routes it on the next request; each
language keeps its own fallback; an address that found nothing keeps nothing.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from curriculum.routing import _key
from curriculum.tests.factories import catalogue, make_course, make_module, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return make_module(
        make_course(title="Community Policing Foundations", slug="policing"), title="Building trust"
    )


def test_a_kept_address_reads_only_its_own_page(client, module):
    assert client.get(module.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(module.url)
    assert response.status_code == 200 and "Building trust" in response.text
    routed = [query["sql"] for query in queries if '"wagtailcore_page"."slug" =' in query["sql"]]
    assert routed == []  # no catalogue, course or module read by its slug
    assert len([query for query in queries if "curriculum_modulepage" in query["sql"]]) == 1


def test_a_renamed_module_moves_its_address(client, module):
    old_url = module.url
    assert client.get(old_url).status_code == 200
    module.slug = "building-trust-together"
    module.save_revision().publish()
    assert client.get(old_url).status_code == 404
    module.refresh_from_db()
    assert module.url != old_url
    assert client.get(module.url).status_code == 200


def test_an_unpublished_module_is_not_served_from_a_kept_address(client, module):
    assert client.get(module.url).status_code == 200
    module.unpublish()
    assert client.get(module.url).status_code == 404


def test_a_module_moved_to_another_course_leaves_its_old_address(client, module):
    old_url = module.url
    assert client.get(old_url).status_code == 200
    other = make_course(title="Youth and police", slug="youth")
    module.move(other, pos="last-child")
    module.refresh_from_db()
    # Not served at the old address: Wagtail's redirect, made when a page moves, sends the reader on.
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == module.url
    assert client.get(module.url).status_code == 200


def test_a_course_made_private_asks_for_a_sign_in_at_its_kept_address(client, module):
    course_url = module.get_parent().url
    assert client.get(course_url).status_code == 200
    PageViewRestriction.objects.create(page=module.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    assert client.get(course_url).status_code == 302
    assert client.get(module.url).status_code == 302


def test_each_language_keeps_its_own_translation(client, module):
    course = module.get_parent().specific
    translate(course, "ru", title="Основы общественной полиции")
    translate(module, "ru", title="Укрепление доверия")
    assert "Building trust" in client.get(module.url).text
    client.cookies.load({"django_language": "tg"})  # Tajik reads Russian before English
    html = client.get(module.url, headers={"accept-language": "tg"}).text
    assert "Укрепление доверия" in html
    client.cookies.load({"django_language": "en"})
    assert "Building trust" in client.get(module.url, headers={"accept-language": "en"}).text


def test_an_address_that_found_nothing_keeps_nothing(client, module):
    home = catalogue().get_parent()
    assert client.get("/courses/policing/no-such-module/").status_code == 404
    assert cache.get(_key(home, ["courses", "policing", "no-such-module"])) is None
