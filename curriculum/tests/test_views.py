"""Course and module pages: facilitator notes by role, navigation, fallback language, deleted media."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from accounts.roles import Role
from conftest import ROLE_CASES
from curriculum.content_cache import note_content_changed
from curriculum.tests.factories import NOTE_TEXT, body, catalogue, make_course, make_module, translate

pytestmark = pytest.mark.django_db

SEES_NOTES = {
    None,
    Role.ME_STAFF,
    Role.REGIONAL_COORDINATOR,
    Role.CURRICULUM_EDITOR,
    Role.CURRICULUM_LEAD,
    Role.TRAINER,
}


@pytest.fixture
def module():
    return make_module(make_course())


@pytest.mark.parametrize("role", ROLE_CASES, ids=lambda role: "admin" if role is None else role.name.lower())
def test_facilitator_notes_reach_only_those_who_run_training(client, make_user, module, role):
    client.force_login(make_user(role))
    html = client.get(module.url).text
    assert "Listening in threes" in html
    assert (NOTE_TEXT in html) is (role in SEES_NOTES)
    assert ("facilitator.pdf" in html) is (role in SEES_NOTES)


def test_anonymous_visitor_gets_no_facilitator_note_in_the_html(client, module):
    html = client.get(module.url).text
    assert "Trust is <b>earned</b>" in html
    assert NOTE_TEXT not in html
    assert "Facilitator note" not in html


def test_module_links_to_previous_and_next_module_of_its_course(client):
    course = make_course()
    first, second, third = (make_module(course, title=title) for title in ("One", "Two", "Three"))
    context = client.get(second.url).context
    assert context["content"].previous_module.pk == first.pk
    assert context["content"].next_module.pk == third.pk
    assert client.get(first.url).context["content"].previous_module is None
    assert client.get(third.url).context["content"].next_module is None


def test_visitor_gets_the_translation_in_their_language(client, module):
    course = module.get_parent().specific
    translate(course, "ru", title="Основы общественной полиции")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(course.url)
    assert response.status_code == 200
    assert "<h1>Основы общественной полиции</h1>" in response.text
    assert "language-notice" not in response.text


def test_untranslated_module_falls_back_to_the_original_with_a_notice_in_the_visitors_language(
    client, module
):
    translate(module.get_parent().specific, "ru", title="Основы общественной полиции")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(module.url)
    assert response.status_code == 200
    assert '<h1 lang="en">Building trust</h1>' in response.text
    assert "language-notice" in response.text


def test_course_without_any_translation_falls_back_too(client):
    course = make_course(title="Youth and schools")
    translate(catalogue(), "tg", title="Курсҳо")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tg"
    response = client.get(course.url)
    assert response.status_code == 200
    assert "language-notice" in response.text


def test_deleted_image_and_document_render_a_placeholder(client):
    image = Image.objects.create(title="Map", file=get_test_image_file())
    document = Document.objects.create(title="Worksheet", file=ContentFile(b"x", name="worksheet.txt"))
    stream = body(
        ("image", {"image": image.pk, "caption": "Safety map"}),
        ("handout", {"document": document.pk, "description": "Fill in"}),
    )
    module = make_module(make_course(), stream=stream)
    assert "Worksheet" in client.get(module.url).text
    image.delete()
    document.delete()
    response = client.get(module.url)
    assert response.status_code == 200
    assert "[Image no longer available]" in response.text
    assert "[Handout no longer available]" in response.text
    pdf = client.get(module.url + "print.pdf")
    assert pdf.status_code == 200


def test_module_page_query_count_does_not_grow_with_modules(client):
    def count(modules: int) -> int:
        course = make_course()
        pages = [make_module(course) for _ in range(modules)]
        client.get(pages[0].url)
        note_content_changed()  # read the content, not the copy kept by the first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pages[0].url).status_code == 200
        return len(queries)

    assert count(2) == count(12)


def test_author_previews_a_new_module_and_an_existing_one(client, make_user):
    course = make_course()
    existing = make_module(course, title="Existing module")
    client.force_login(make_user(Role.CURRICULUM_EDITOR))
    add_url = reverse("wagtailadmin_pages:preview_on_add", args=("curriculum", "modulepage", course.pk))
    data = {"title": "New module", "slug": "new-module", "duration_minutes": 45, "body-count": 0}
    assert client.post(add_url, data).json()["is_valid"]
    response = client.get(add_url)
    assert response.status_code == 200
    assert "New module" in response.text
    edit_url = reverse("wagtailadmin_pages:preview_on_edit", args=(existing.pk,))
    assert client.post(edit_url, {**data, "title": "Changed title", "slug": existing.slug}).json()["is_valid"]
    response = client.get(edit_url)
    assert response.status_code == 200
    assert "Changed title" in response.text


def test_course_page_query_count_does_not_grow_with_modules(client):
    def count(modules: int) -> int:
        course = make_course()
        for _ in range(modules):
            make_module(course)
        client.get(course.url)
        note_content_changed()  # read the content, not the copy kept by the first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(course.url).status_code == 200
        return len(queries)

    assert count(2) == count(12)
