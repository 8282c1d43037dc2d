"""Reports in the reader's language (issue 16, items 4, 5, 8): lang marks, XLSX sheet names and cell formats."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from curriculum.models import CoursePage

pytestmark = pytest.mark.django_db

BREAKDOWN_TITLES = ("Sex and audience", "Regions", "Regions covered", "Deliveries per month")


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(Role.ME_STAFF))
    return client


def xlsx(client, language: str):
    client.cookies.load({"django_language": language})
    response = client.get(reverse("reports:export_xlsx"), {"country": "TJ"})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("language", ["en", "ru", "tg", "ky"])
def test_sheet_names_fit_and_end_on_a_whole_word(staff, programme, language):
    workbook = xlsx(staff, language)
    with translation.override(language):
        full = [translation.gettext(title) for title in BREAKDOWN_TITLES]
    for name, title in zip(workbook.sheetnames[1:], full, strict=True):
        assert len(name) <= 31
        words = name.removesuffix("…").split()
        assert words == title.split()[: len(words)], (name, title)


def test_xlsx_numbers_are_numbers_with_a_decimal_format(staff, programme):
    cover = xlsx(staff, "ru").worksheets[0]
    cells = {row[0].value: row[1] for row in cover.iter_rows(min_col=1, max_col=2) if row[0].value}
    with translation.override("ru"):
        hours = cells[translation.gettext("Training hours delivered")]
        people = cells[translation.gettext("People trained (unique persons)")]
    assert isinstance(hours.value, int | float) and hours.number_format == "#,##0.0"
    assert isinstance(people.value, int) and people.number_format == "#,##0"


def test_course_titles_in_another_language_carry_lang_on_the_dashboard(staff, programme):
    staff.cookies.load({"django_language": "tg"})
    html = staff.get(reverse("reports:dashboard")).text
    assert '<html lang="tg"' in html
    course = CoursePage.objects.select_related("locale").first()
    assert course.locale.language_code != "tg"
    option = re.search(rf'<option value="{course.pk}"[^>]*>', html).group(0)
    assert f'lang="{course.locale.language_code}"' in option


def test_pdf_numbers_are_written_as_the_readers_language_writes_them():
    from reports.exports import _shown

    with translation.override("ru"):
        assert [_shown(29.24), _shown(16.0), _shown(12345), _shown("—")] == ["29,2", "16", "12\xa0345", "—"]
    with translation.override("ky"):
        assert _shown(29.24) == "29,2"
    with translation.override("en"):
        assert _shown(29.24) == "29.2"


def test_russian_donor_pdf_has_no_decimal_point(staff, programme):
    from pypdf import PdfReader

    staff.cookies.load({"django_language": "ru"})
    response = staff.get(reverse("reports:export_pdf"), {"country": "TJ"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Таджикистан" in text
    # Dates are written 2025-01-01 and times 10:00; a decimal number would be digits, a point, digits.
    assert not re.search(r"\d\.\d", text)
