"""The demo curriculum loader: idempotent, and the content the issue asks for."""

import pytest

from curriculum import demo, pdf
from curriculum.models import CoursePage, ModulePage
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def test_demo_curriculum_is_idempotent_and_has_english_russian_and_tajik_content():
    messages = []
    demo.load(log=messages.append, context={})
    counts = (CoursePage.objects.count(), ModulePage.objects.count())
    demo.load(log=messages.append, context={})
    assert (CoursePage.objects.count(), ModulePage.objects.count()) == counts
    assert messages[-1].startswith("curriculum pages: 0 created")
    assert ModulePage.objects.filter(locale__language_code="en", live=True).count() >= 8
    foundations = CoursePage.objects.get(slug="community-policing-foundations", locale__language_code="en")
    russian = foundations.get_translation(foundations.locale.__class__.objects.get(language_code="ru"))
    assert (
        ModulePage.objects.child_of(russian).live().count()
        == ModulePage.objects.child_of(foundations).count()
    )
    tajik_modules = ModulePage.objects.filter(locale__language_code="tg", live=True)
    assert tajik_modules.exists()
    assert set("ғӣқӯҳҷ") <= set("".join(m.title + str(m.body.raw_data) for m in tajik_modules).lower())
    activities = [
        b
        for m in ModulePage.objects.filter(locale__language_code="en")
        for b in m.body
        if b.block_type == "activity"
    ]
    assert all(block.value["minutes"] > 0 for block in activities) and len(activities) >= 8

    tajik = tajik_modules.get(slug="what-is-community-policing")
    text = pdf_text(pdf.module_pdf(tajik, facilitator=True))
    for words in (
        "Милитсияи ҷамъиятӣ чист",
        "Асосҳои милитсияи ҷамъиятӣ",
        "Ду тасвири шӯъбаи милитсия",
        "Саҳифаи 1",
    ):
        assert words in text
