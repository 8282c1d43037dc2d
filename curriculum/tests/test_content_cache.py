"""The catalogue, course and module pages keep their main content until the curriculum changes (issue 18).

What must hold: a kept page asks only Wagtail's routing and the content version; every change to
what the pages show appears on the next request; no reader is shown what was kept for a reader
with other rights or another language; an editor's preview is never kept.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from accounts.roles import Role
from assessments.tests.factories import make_instrument
from curriculum.content_cache import content_version, note_content_changed
from curriculum.models import TopicName
from curriculum.tests.factories import NOTE_TEXT, make_course, make_module

pytestmark = pytest.mark.django_db

HAS_TEST_NOTE = "This course has a pre-test and a post-test"


@pytest.fixture
def course():
    course = make_course(title="Community Policing Foundations", topics=("human rights",))
    make_module(course, title="Building trust")
    make_module(course, title="Patrolling together")
    return course


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def urls_of(course) -> dict[str, str]:
    first_module = course.get_children().first()
    return {"catalogue": "/courses/", "course": course.url, "module": first_module.url}


@pytest.mark.parametrize("page_kind", ["catalogue", "course", "module"])
def test_a_kept_page_asks_only_the_routing_and_the_content_version(client, course, page_kind):
    url = urls_of(course)[page_kind]
    with CaptureQueriesContext(connection) as first:
        first_html = main_of(client.get(url).text)
    with CaptureQueriesContext(connection) as second:
        second_html = main_of(client.get(url).text)
    assert second_html == first_html
    version_reads = [query for query in second if "curriculum_contentversion" in query["sql"]]
    assert len(version_reads) == 1
    content_tables = ("taggit_tag", "curriculum_topicname", "curriculum_audienceoption", "assessments_")
    assert not [query["sql"][:100] for query in second if any(t in query["sql"] for t in content_tables)]
    assert len(second) <= len(first) - 2, (len(first), len(second))


def test_a_published_title_shows_on_the_next_request(client, course):
    assert "Community Policing Foundations" in client.get("/courses/").text
    client.get(course.url)
    course.title = "Policing with the Community"
    course.save_revision().publish()
    for url in ("/courses/", course.url):
        html = main_of(client.get(url).text)
        assert ">Policing with the Community<" in html and ">Community Policing Foundations<" not in html


def test_an_unpublished_module_leaves_the_course_page(client, course):
    assert "Patrolling together" in client.get(course.url).text
    course.get_children().get(title="Patrolling together").specific.unpublish()
    assert "Patrolling together" not in client.get(course.url).text


def test_a_moved_module_changes_the_order_on_the_course_page(client, course):
    html = client.get(course.url).text
    assert html.index("Building trust") < html.index("Patrolling together")
    second = course.get_children().get(title="Patrolling together")
    second.move(course, pos="first-child")
    html = client.get(course.url).text
    assert html.index("Patrolling together") < html.index("Building trust")


def test_a_course_made_private_leaves_the_catalogue(client, course):
    assert "Community Policing Foundations" in client.get("/courses/").text
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert "Community Policing Foundations" not in main_of(client.get("/courses/").text)


def test_a_renamed_topic_shows_on_the_next_request(client, course):
    client.cookies.load({"django_language": "ru"})
    assert "human rights" in main_of(client.get(course.url).text)
    TopicName.objects.create(tag=Tag.objects.get(name="human rights"), language="ru", name="права человека")
    html = main_of(client.get(course.url).text)
    assert "права человека" in html and "human rights" not in html


def test_a_test_made_for_the_course_shows_on_its_page(client, course):
    assert HAS_TEST_NOTE not in client.get(course.url).text
    instrument = make_instrument(course)
    assert HAS_TEST_NOTE in client.get(course.url).text
    instrument.delete()
    assert HAS_TEST_NOTE not in client.get(course.url).text


@pytest.mark.parametrize("staff_first", [True, False], ids=["staff-first", "trainee-first"])
def test_facilitator_notes_kept_for_staff_never_reach_a_trainee(client, make_user, course, staff_first):
    module_url = urls_of(course)["module"]
    staff, trainee = make_user(Role.ME_STAFF), make_user(Role.TRAINEE)
    for user in (staff, trainee) if staff_first else (trainee, staff):
        client.force_login(user)
        html = client.get(module_url).text
        assert (NOTE_TEXT in html) is (user == staff)
        assert ("facilitator.pdf" in html) is (user == staff)


def test_each_language_keeps_its_own_content(client, course):
    english = main_of(client.get(course.url).text)
    client.cookies.load({"django_language": "ru"})
    russian = main_of(client.get(course.url).text)
    assert "Total duration" in english and "Общая продолжительность" in russian


def test_each_filter_keeps_its_own_listing(client, course):
    make_course(title="Youth and the Police", audiences=("youth",))
    assert "Youth and the Police" in main_of(client.get("/courses/").text)
    filtered = main_of(client.get("/courses/", {"audience": "police"}).text)
    assert "Community Policing Foundations" in filtered and "Youth and the Police" not in filtered


def test_a_preview_is_never_kept(client, course):
    client.get(course.url)
    draft = course.specific
    draft.title = "Draft title nobody published"
    assert "Draft title nobody published" in draft.make_preview_request().content.decode()
    html = main_of(client.get(course.url).text)
    assert "Community Policing Foundations" in html and "Draft title nobody published" not in html


def test_content_without_a_key_is_rendered_and_not_kept():
    template = Template("{% load kept_content %}{% keep_content key %}{{ value }}{% endkeep_content %}")
    assert template.render(Context({"key": None, "value": "first"})) == "first"
    assert template.render(Context({"key": None, "value": "second"})) == "second"
    assert template.render(Context({"key": "k", "value": "third"})) == "third"
    assert template.render(Context({"key": "k", "value": "fourth"})) == "third"


def test_the_version_changes_with_a_save_in_the_admin_too(course):
    before = content_version()
    course.save_revision()  # a draft saved: the page row changes, so does the version
    assert content_version() != before


def test_a_request_reads_the_version_once_and_again_after_its_own_change(client, course):
    module_url = urls_of(course)["module"]
    client.get(module_url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(module_url).status_code == 200
    # Its route and its content are both kept under the version: one read serves both.
    assert len([query for query in queries if "curriculum_contentversion" in query["sql"]]) == 1

    # A request's start and end as the test client signals them: without closing the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        before = content_version()
        with CaptureQueriesContext(connection) as again:
            assert content_version() == before
        assert len(again) == 0
        changed = note_content_changed()
        assert changed != before and content_version() == changed
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    with CaptureQueriesContext(connection) as outside:
        content_version()
    assert len(outside) == 1  # outside a request (a command, a test), every read asks


def test_a_signed_in_request_reads_the_version_in_its_sessions_statement(client, course, make_user):
    from accounts.models import SignInSession

    client.force_login(make_user(Role.ME_STAFF))
    module_url = urls_of(course)["module"]
    client.get(module_url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(module_url).status_code == 200
    version_reads = [query["sql"] for query in queries if "curriculum_contentversion" in query["sql"]]
    assert len(version_reads) == 1 and SignInSession._meta.db_table in version_reads[0], version_reads
    # Read at the start of each request, so a change shows on the next one, as it does for a guest.
    course.title = "Community Policing, Second Edition"
    course.save_revision().publish()
    assert "Community Policing, Second Edition" in client.get(module_url).text
