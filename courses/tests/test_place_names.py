"""Countries and regions are named in the reader's language everywhere (issue 16, item 3).

Seen on a running system: "Страна: Tajikistan" and "Sughd" inside Russian pages,
sign-in sheets and reports. One property, `display_name`, now names a place, with
the fallback of core.languages (ky → ru → en).
"""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from attendance.pdf import session_sign_in_sheet
from attendance.tests.factories import make_roster
from courses.models import Country, Region
from courses.reference_data import load_reference_data
from courses.tests.factories import DeliveryFactory, region
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF \-]+$")


@pytest.fixture
def programme(db):
    from reports.tests.programme import build_programme

    return build_programme()


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(Role.ME_STAFF))
    return client


def test_every_country_and_region_has_a_name_in_all_four_languages():
    places = [*Country.objects.all(), *Region.objects.all()]
    assert len(places) == 16
    for place in places:
        assert place.name, place.iso_code
        for language in ("ru", "tg", "ky"):
            assert CYRILLIC.match(place.names[language]), (place.iso_code, language)


def test_sughd_in_each_language():
    sughd = region("TJ-SU")
    assert [sughd.name_in(code) for code in ("en", "ru", "tg", "ky")] == [
        "Sughd",
        "Согдийская область",
        "Вилояти Суғд",
        "Согди облусу",
    ]
    with translation.override("ru"):
        assert str(sughd) == sughd.display_name == "Согдийская область"
        assert str(sughd.country) == "Таджикистан"


def test_a_missing_kyrgyz_or_tajik_name_falls_back_to_russian_then_english():
    chuy = region("KG-C")
    chuy.name_ky = ""
    assert chuy.name_in("ky") == "Чуйская область"
    assert chuy.name_in("tg") == "Вилояти Чуй"
    chuy.name_ru = chuy.name_tg = ""
    assert chuy.name_in("ky") == chuy.name_in("tg") == chuy.name_in("ru") == "Chüy"


def test_reloading_keeps_staff_edits_and_fills_only_missing_names():
    Region.objects.filter(iso_code="TJ-SU").update(name_ru="Согд", name_ky="")
    assert load_reference_data(Country, Region) == (0, 0)
    sughd = region("TJ-SU")
    assert (sughd.name_ru, sughd.name_ky) == ("Согд", "Согди облусу")


def test_staff_edit_the_names_in_the_admin(staff):
    sughd = region("TJ-SU")
    response = staff.get(reverse("regions:edit", args=[sughd.pk]))
    assert response.status_code == 200
    for field in ("name_ru", "name_tg", "name_ky"):
        assert f'name="{field}"' in response.content.decode()
    response = staff.get(reverse("countries:edit", args=[sughd.country.pk]))
    assert response.status_code == 200 and 'name="name_tg"' in response.content.decode()


def test_a_russian_delivery_page_names_the_region_and_country_in_russian(staff):
    delivery = DeliveryFactory(region=region("TJ-SU"))
    staff.cookies.load({"django_language": "ru"})
    page = staff.get(f"/deliveries/{delivery.pk}/").content.decode()
    assert "Согдийская область" in page and "Таджикистан" in page
    assert "Sughd" not in page and "Tajikistan" not in page
    listing = staff.get("/deliveries/").content.decode()
    assert "Согдийская область" in listing and "Sughd" not in listing


def test_a_russian_sign_in_sheet_names_the_region_in_russian():
    roster = make_roster(1, language="ru", region=region("TJ-SU"))
    with translation.override("ru"):
        text = pdf_text(session_sign_in_sheet(session=roster.session), flatten=True)
    assert "Согдийская область" in text and "Sughd" not in text


def test_a_kyrgyz_sign_in_sheet_names_the_region_in_kyrgyz():
    roster = make_roster(1, language="ky", region=region("KG-C"))
    with translation.override("ky"):
        text = pdf_text(session_sign_in_sheet(session=roster.session), flatten=True)
    assert "Чүй облусу" in text and "Chüy" not in text


def test_russian_reports_name_regions_and_countries_in_russian(staff, programme):
    staff.cookies.load({"django_language": "ru"})
    page = staff.get(reverse("reports:dashboard")).content.decode()
    assert "Согдийская область" in page and "Sughd" not in page
    workbook = load_workbook(io.BytesIO(staff.get(reverse("reports:export_xlsx")).content))
    cells = {str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert {"Согдийская область", "Таджикистан", "Бишкек"} <= cells
    assert not {"Sughd", "Tajikistan", "Kyrgyzstan"} & cells
    text = pdf_text(staff.get(reverse("reports:export_pdf")).content, flatten=True)
    assert "Согдийская область" in text and "Sughd" not in text
