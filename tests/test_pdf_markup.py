"""Every PDF prints names and content as text: markup in data never reaches reportlab as markup.

reportlab's Paragraph parses its text: an unescaped `<img src="…"/>` in a participant's name made
the server fetch the URL (or open the path) while building a sign-in sheet, and a broken tag made
every sheet of the delivery answer 500. Each PDF is built here with such payloads in every field
people or content can fill; it must build, print the payload's characters literally, and neither
read an image nor embed one.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Certificate
from courses.models import Country, Region
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    OrganisationFactory,
    ParticipantFactory,
    SessionFactory,
    VenueFactory,
    make_course,
)
from curriculum.tests.factories import body, make_module
from curriculum.tests.factories import make_course as make_course_page
from reports.tests.programme import build_programme
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

PAYLOADS = (
    '<img src="http://127.0.0.1:9/x.png"/>',
    '<img src="/etc/passwd"/>',
    "<img src=x onerror=alert(1)>",
    "<b>bold</b> name",
    "Tom & Jerry",
    "a < b > c",
)


def payload(number: int) -> str:
    return PAYLOADS[number % len(PAYLOADS)]


@pytest.fixture(autouse=True)
def no_image_reads(monkeypatch):
    """Fail the test if reportlab tries to read an image named in a paragraph, or any URL."""
    from reportlab.lib import utils
    from reportlab.platypus import paraparser

    def refuse(*args, **kwargs):
        pytest.fail(f"reportlab tried to read {args!r}: markup from data reached a Paragraph")

    monkeypatch.setattr(paraparser, "ImageReader", refuse)
    monkeypatch.setattr(utils, "rlUrlRead", refuse)


def has_image(content: bytes) -> bool:
    for page in PdfReader(__import__("io").BytesIO(content)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for reference in xobjects.values():
            if reference.get_object().get("/Subtype") == "/Image":
                return True
    return False


def assert_prints_literally(response, payloads) -> None:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert not has_image(content)
    # Cells wrap and the extractor breaks lines its own way: compare without whitespace.
    text = "".join(pdf_text(content).split())
    for value in payloads:
        assert "".join(value.split()) in text, value


@pytest.fixture
def delivery_with_markup():
    trainer = user_with_role(Role.TRAINER, first_name=payload(0), last_name=payload(3))
    delivery = DeliveryFactory(
        course=make_course(payload(4)), venue=VenueFactory(name=payload(1)), trainers=[trainer]
    )
    starts_at = datetime.now(UTC) - timedelta(days=1)
    session = SessionFactory(
        delivery=delivery, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), title=payload(2)
    )
    for number in range(len(PAYLOADS)):
        EnrolmentFactory(
            delivery=delivery,
            participant=ParticipantFactory(
                full_name=payload(number),
                organisation=OrganisationFactory(name=payload(number + 1)),
                position=payload(number + 2),
            ),
        )
    return delivery, session


def test_session_sign_in_sheet_prints_markup_as_text(client, delivery_with_markup):
    _delivery, session = delivery_with_markup
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(reverse("attendance:session_sheet", args=[session.pk]))
    assert_prints_literally(response, PAYLOADS)


def test_delivery_sign_in_sheet_prints_markup_as_text(client, delivery_with_markup):
    delivery, _session = delivery_with_markup
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(reverse("attendance:delivery_sheet", args=[delivery.pk]))
    assert_prints_literally(response, PAYLOADS)


def test_certificates_print_markup_as_text(client, delivery_with_markup):
    delivery, _session = delivery_with_markup
    for enrolment in delivery.enrolments.select_related("participant"):
        enrolment.participant.latin_name = payload(enrolment.participant.pk + 1)
        enrolment.participant.save()
        Certificate.objects.create(delivery=delivery, participant=enrolment.participant)
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(reverse("assessments:delivery_certificates_pdf", args=[delivery.pk]))
    assert_prints_literally(response, PAYLOADS)


def test_privacy_export_prints_markup_as_text(client):
    participant = ParticipantFactory(
        full_name=payload(0), latin_name=payload(1), position=payload(2), phone=payload(3)
    )
    participant.organisation.name = payload(4)
    participant.organisation.save()
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(reverse("privacy:export_pdf", args=[participant.pk]))
    assert_prints_literally(response, PAYLOADS[:4])


def test_donor_report_prints_markup_as_text(client):
    build_programme()
    Region.objects.filter(iso_code="TJ-SU").update(name=payload(0))
    Region.objects.filter(iso_code="TJ-DU").update(name=payload(2))
    Country.objects.filter(iso_code="TJ").update(name=payload(4))
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(reverse("reports:export_pdf"))
    assert_prints_literally(response, [payload(0), payload(2), payload(4)])


MODULE_STREAM = body(
    ("heading", {"text": payload(0)}),
    (
        "paragraph",
        "<p>Safe <b>bold</b> &lt;img src=&quot;/etc/passwd&quot;/&gt; and "
        '<a href="https://example.org/">a link</a></p>'
        '<p><img src="http://127.0.0.1:9/x.png"/><img src="/etc/passwd"/>after images</p>'
        '<ul><li><a href="javascript:alert(1)">no script</a></li><li>Tom &amp; Jerry</li></ul>',
    ),
    (
        "activity",
        {
            "title": payload(1),
            "minutes": 30,
            "method": "role_play",
            "materials": [payload(2), payload(3)],
            "steps": [payload(4), payload(5)],
        },
    ),
    ("discussion_questions", {"introduction": payload(2), "questions": [payload(0), payload(1)]}),
    (
        "case_study",
        {"title": payload(3), "place": payload(4), "story": "<p>a &lt; b</p>", "questions": [payload(5)]},
    ),
    ("video", {"title": payload(5), "url": "https://example.org/v?a=1&b=<2>"}),
    ("key_message", {"text": payload(1)}),
    ("facilitator_note", {"note": '<p>Note <img src="http://127.0.0.1:9/n.png"/> &lt;b&gt;</p>'}),
)
MODULE_TEXTS = [*PAYLOADS, '<img src="/etc/passwd"/>', "after images", "no script", "a < b", "Note <b>"]


@pytest.mark.parametrize("document", ["print", "facilitator"])
def test_module_guides_print_markup_as_text_and_never_fetch_content_images(client, document):
    course = make_course_page(title=payload(3))
    module = make_module(course, title=payload(0), stream=MODULE_STREAM)
    client.force_login(user_with_role(Role.TRAINER))
    response = client.get(f"{module.url}{document}.pdf")
    assert_prints_literally(response, MODULE_TEXTS if document == "facilitator" else MODULE_TEXTS[:-1])


def test_course_facilitator_guide_prints_markup_as_text(client):
    course = make_course_page(title=payload(3))
    course.summary = payload(5)
    course.learning_objectives = '<p><img src="/etc/passwd"/>Objective &lt;i&gt;</p>'
    course.save()
    make_module(course, title=payload(0), stream=MODULE_STREAM)
    client.force_login(user_with_role(Role.TRAINER))
    response = client.get(f"{course.url}facilitator-guide.pdf")
    assert_prints_literally(response, [*MODULE_TEXTS, "Objective <i>"])


def test_a_rich_text_link_keeps_only_web_addresses():
    from curriculum.pdf import _safe_link

    schemes = {"http", "https"}
    assert _safe_link("https://example.org/a", schemes) == "https://example.org/a"
    for href in ("javascript:alert(1)", "file:///etc/passwd", "/etc/passwd", 'https://x.org/"a', None):
        assert _safe_link(href, schemes) is None
