"""Printed guides: participant and facilitator versions, who may have which, and text that survives."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from accounts.roles import Role
from curriculum import pdf
from curriculum.tests.factories import NOTE_TEXT, body, make_course, make_module, translate
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return make_module(make_course(title="Community Policing Foundations"), title="Building trust")


def test_participant_pdf_keeps_structure_and_leaves_out_facilitator_notes(client, module):
    response = client.get(module.url + "print.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Community Policing Foundations" in text  # running header
    assert "Page 1" in text
    for words in (
        "Building trust",
        "Listening first",
        "Trust is earned and kept.",
        "• Listen",
        "Listening in threes",
    ):
        assert words in text
    assert NOTE_TEXT not in text


def test_facilitator_pdf_has_notes_timings_and_materials(client, make_user, module):
    client.force_login(make_user(Role.TRAINER))
    text = pdf_text(client.get(module.url + "facilitator.pdf").content)
    assert NOTE_TEXT in text
    assert "Session plan" in text
    assert "40 minutes" in text
    assert "Materials to bring" in text
    assert "role cards" in text


@pytest.mark.parametrize("document", ["facilitator.pdf", "../facilitator-guide.pdf"])
def test_trainee_is_refused_and_anonymous_sent_to_log_in(client, make_user, module, document):
    url = (module.url + document).replace("/" + module.slug + "/../", "/")
    assert client.get(url).status_code == 302
    client.force_login(make_user(Role.TRAINEE))
    assert client.get(url).status_code == 403


def test_course_facilitator_guide_has_every_module_and_the_total(client, make_user):
    course = make_course(title="Youth and Schools")
    make_module(course, title="Safe schools partnership", minutes=90)
    make_module(course, title="Community resilience", minutes=120)
    client.force_login(make_user(Role.CURRICULUM_EDITOR))
    text = pdf_text(client.get(course.url + "facilitator-guide.pdf").content)
    assert "Facilitator guide" in text
    assert "Safe schools partnership" in text and "Community resilience" in text
    assert "210 minutes" in text
    assert NOTE_TEXT in text
    client.logout()
    handbook = pdf_text(client.get(course.url + "print.pdf").content)
    assert "Participant handbook" in handbook
    assert "Safe schools partnership" in handbook
    assert NOTE_TEXT not in handbook


def test_tajik_and_kyrgyz_letters_come_out_intact(client, module):
    tajik_title = "Милитсияи ҷамъиятӣ чист"
    translated = translate(
        module,
        "tg",
        title=tajik_title,
        body=body(("paragraph", "<p>Ҳамкорӣ ғӯҷ қӣ — Kyrgyz: Өмүрова, жаңы үй</p>")),
    )
    text = pdf_text(pdf.module_pdf(translated, facilitator=False))
    assert tajik_title in text
    assert "Ҳамкорӣ ғӯҷ қӣ" in text
    assert "Өмүрова, жаңы үй" in text
    assert "Саҳифа" in text or "Page" in text


def test_images_are_embedded_and_a_deleted_one_prints_a_placeholder():
    image = Image.objects.create(title="Safety map", file=get_test_image_file())
    module = make_module(
        make_course(), stream=body(("image", {"image": image.pk, "caption": "Map of the mahalla"}))
    )
    content = pdf.module_pdf(module, facilitator=False)
    assert b"/Subtype /Image" in content
    assert "Map of the mahalla" in pdf_text(content)
    image.delete()
    module.refresh_from_db()
    text = pdf_text(pdf.module_pdf(module, facilitator=False))
    assert "[Image no longer available]" in text


def test_every_page_carries_the_course_title_and_its_number():
    paragraphs = [("paragraph", f"<p>Paragraph {n}: " + "community safety " * 60 + "</p>") for n in range(30)]
    module = make_module(make_course(title="Long Course Title"), stream=body(*paragraphs))
    text = pdf_text(pdf.module_pdf(module, facilitator=False))
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    for number, page_text in enumerate(pages, start=1):
        assert "Long Course Title" in page_text
        assert f"Page {number}" in page_text
