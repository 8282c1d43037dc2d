"""Topics have a name per language (issue 16, item 3).

Seen on a running system: topic tags stayed English ("human rights") in the
catalogue's filter and on course pages read in Russian, Tajik and Kyrgyz.
"""

import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from taggit.models import Tag

from accounts.roles import Role
from curriculum.models import TopicName
from curriculum.selectors import topic_name

from .factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def rights_course():
    course = make_course(title="Community Policing Foundations", topics=("human rights", "gender"))
    rights = Tag.objects.get(name="human rights")
    TopicName.objects.create(tag=rights, language="ru", name="права человека")
    TopicName.objects.create(tag=rights, language="tg", name="ҳуқуқи инсон")
    return course, rights


def test_a_topic_is_named_by_the_readers_fallback(rights_course):
    _course, rights = rights_course
    assert topic_name(rights, "tg") == "ҳуқуқи инсон"
    assert topic_name(rights, "ky") == "права человека"  # ky → ru → en
    assert topic_name(rights, "en") == "human rights"
    assert topic_name(Tag.objects.get(name="gender"), "ky") == "gender"  # no translation yet


def test_one_name_per_topic_and_language(rights_course):
    _course, rights = rights_course
    with pytest.raises(IntegrityError):
        TopicName.objects.create(tag=rights, language="ru", name="другое")


def test_the_catalogue_filter_and_listing_name_topics_in_the_readers_language(client, rights_course):
    client.cookies.load({"django_language": "ky"})
    html = client.get("/courses/").content.decode()
    assert re.search(r'<option value="human-rights"[^>]*>права человека</option>', html)
    listing = html[html.index("<main") : html.index("</main>")]
    listing = listing[listing.index("</form>") :]  # the course list, after the filter form
    assert "права человека" in listing and "human rights" not in listing


def test_the_course_page_names_topics_in_the_readers_language(client, rights_course):
    course, _rights = rights_course
    client.cookies.load({"django_language": "tg"})
    html = client.get(course.url).content.decode()
    assert "ҳуқуқи инсон" in html and "human rights" not in html


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ME_STAFF, True),
        (Role.CURRICULUM_EDITOR, True),
        (Role.CURRICULUM_LEAD, True),
        (Role.TRAINER, False),
    ],
)
def test_staff_and_editors_edit_topic_names_in_the_admin(client, make_user, rights_course, role, allowed):
    client.force_login(make_user(role))
    response = client.get(reverse("topic_names:index"))
    if allowed:
        assert response.status_code == 200 and "права человека" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def test_the_demo_names_every_topic_it_uses_in_russian_tajik_and_kyrgyz():
    from curriculum import demo

    demo.load(log=lambda message: None, context={})
    demo.load(log=lambda message: None, context={})  # idempotent: no duplicate names
    used = Tag.objects.filter(curriculum_coursetopic_items__isnull=False).distinct()
    assert used.count() >= 8
    for tag in used:
        names = dict(tag.translated_names.values_list("language", "name"))
        assert set(names) == {"ru", "tg", "ky"}, tag.name
        assert all(name and name != tag.name for name in names.values()), names
