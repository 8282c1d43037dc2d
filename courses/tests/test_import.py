"""Participant import: all-or-nothing, errors by row and column, duplicates flagged instead of created."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.imports import participants_import, read_rows
from courses.models import Participant
from courses.tests.factories import OrganisationFactory, ParticipantFactory, region

pytestmark = pytest.mark.django_db

HEADER = "full_name,latin_name,sex,year_of_birth,audience,organisation,position,region,phone"


def _csv(*lines: str, name="people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"), "text/csv")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="ОВД Хуҷанд")


def test_a_clean_csv_creates_everyone(organisation):
    rows = read_rows(
        _csv(
            "Раҳимова Зарина,Zarina Rahimova,female,1992,police,ОВД Хуҷанд,лейтенант,TJ-SU,+992 92 111 11 11",
            "Асанов Нурлан,,male,,civil_society,,,KG-O,",
        )
    )
    result = participants_import(rows=rows)
    assert result.ok and len(result.created) == 2
    zarina = Participant.objects.get(full_name="Раҳимова Зарина")
    assert (zarina.organisation, zarina.region.iso_code, zarina.year_of_birth) == (
        organisation,
        "TJ-SU",
        1992,
    )


def test_every_error_is_listed_by_row_and_column_and_nothing_is_saved(organisation):
    rows = read_rows(
        _csv(
            "Раҳимова Зарина,,female,1992,police,ОВД Хуҷанд,,TJ-SU,",
            ",,alien,19x2,police,,,TJ-SU,",
            "Каримов Фарид,,male,1980,pilots,Нест такой,,XX-99,",
            "Каримов Фарид,,male,1980,police,Unknown org,,TJ-SU,",
        )
    )
    result = participants_import(rows=rows)
    assert not result.ok
    found = {(error.row, error.column) for error in result.errors}
    assert found == {
        (3, "full_name"),
        (3, "sex"),
        (3, "year_of_birth"),
        (4, "audience"),
        (4, "region"),
        (5, "organisation"),
    }
    assert result.created == []
    assert not Participant.objects.exists()


def test_duplicates_of_existing_people_are_flagged_not_created(organisation):
    existing = ParticipantFactory(full_name="Раҳимова Зарина", year_of_birth=1992, organisation=organisation)
    rows = read_rows(
        _csv(
            "  РАҲИМОВА   зарина ,,female,1992,police,ОВД Хуҷанд,,TJ-SU,",
            "Раҳимова Зарина,,female,1993,police,ОВД Хуҷанд,,TJ-SU,",
        )
    )
    result = participants_import(rows=rows)
    assert result.ok
    assert [(row, match) for row, _name, match in result.duplicates] == [(2, existing)]
    assert Participant.objects.count() == 2


def test_the_same_person_twice_in_one_file_is_an_error(organisation):
    rows = read_rows(
        _csv(
            "Раҳимова Зарина,,female,1992,police,ОВД Хуҷанд,,TJ-SU,",
            "Раҳимова  Зарина,,female,1992,police,ОВД Хуҷанд,,TJ-SU,",
        )
    )
    result = participants_import(rows=rows)
    assert [(e.row, e.column) for e in result.errors] == [(3, "full_name")]
    assert not Participant.objects.exists()


def test_xlsx_is_read_like_csv(organisation):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["Осмонова Гүлнара", "Gulnara Osmonova", "female", 1988, "local_authorities", None, "", "KG-N", ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("people.xlsx", buffer.getvalue())
    result = participants_import(rows=read_rows(upload))
    assert result.ok
    assert Participant.objects.get().full_name == "Осмонова Гүлнара"


def test_a_missing_required_column_is_reported():
    upload = SimpleUploadedFile("people.csv", b"name,sex\nX,male\n")
    with pytest.raises(Exception) as caught:
        read_rows(upload)
    assert "audience" in " ".join(caught.value.messages)


def test_coordinator_cannot_import_into_another_region(client):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.post(
        "/participants/import/",
        {"file": _csv("Асанов Нурлан,,male,,civil_society,,,KG-O,", "Раҳимов Али,,male,,youth,,,TJ-SU,")},
    )
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "region")]
    assert "KG-O" in response.content.decode()
    assert not Participant.objects.exists()


def test_upload_page_imports_and_reports(client):
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.post("/participants/import/", {"file": _csv("Раҳимов Али,,male,2008,youth,,,TJ-SU,")})
    assert response.status_code == 200 and response.context["result"].ok
    assert Participant.objects.filter(full_name="Раҳимов Али").exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused(client):
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.post("/participants/import/", {"file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert "file" in response.context["form"].errors
    response = client.post("/participants/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert "file" in response.context["form"].errors
