"""The workbook's sheets as CSV (issue 14, item 1): a template per sheet, and CSV uploads of one
sheet or of several sheets together, previewed and applied as a workbook is."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceRecord
from courses import workbook
from courses.models import Delivery, Participant
from courses.tests.factories import make_course
from courses.tests.test_workbook import two_past_deliveries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return user_with_role(Role.ME_STAFF)


def as_csv(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    text = buffer.getvalue()
    if encoding == "cp1251":
        # The Windows Cyrillic code page has Russian letters only; a Russian Excel writes these.
        text = text.translate(str.maketrans("ҳҷқғӣӯ", "хчкгиу"))
    return text.encode(encoding)


def _upload(name: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


@pytest.mark.parametrize("sheet", workbook.SHEETS)
def test_each_sheet_has_a_csv_template_excel_reads_as_utf8(client, staff, sheet):
    client.force_login(staff)
    response = client.get(reverse("courses:import_template_csv", args=[sheet]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == workbook.template_header(sheet)
    assert len(rows) >= 2 and all(len(row) <= len(rows[0]) for row in rows[1:])
    # The header names its own sheet, so the template uploaded back is recognised.
    assert workbook.sheet_of_columns(set(rows[0])) == sheet


def test_the_csv_template_of_an_unknown_sheet_is_404_and_trainers_get_403(client, staff):
    client.force_login(staff)
    assert client.get("/import/template/lists.csv").status_code == 404
    client.force_login(user_with_role(Role.TRAINER))
    assert client.get(reverse("courses:import_template_csv", args=["participants"])).status_code == 403


def test_the_participants_template_uploaded_as_it_is_previews_its_example(client, staff):
    client.force_login(staff)
    template = client.get(reverse("courses:import_template_csv", args=["participants"])).content
    plan = workbook.import_workbook(data=template, user=staff, commit=False)
    assert plan.ok, plan.errors
    assert plan.created["participants"] == 1


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(",", "utf-8-sig"), (";", "cp1251"), ("\t", "utf-8"), (";", "utf-8-sig")]
)
def test_a_participants_csv_in_excels_encodings_and_separators_is_read(staff, delimiter, encoding):
    rows = two_past_deliveries("Any course")["participants"]
    for row in rows[1:]:
        row[6] = ""  # the organisation would come from another sheet
    data = as_csv(rows, delimiter=delimiter, encoding=encoding)
    plan = workbook.import_workbook(data=data, user=staff, commit=True)
    assert plan.ok, plan.errors[:3]
    assert plan.created["participants"] == 4
    assert Participant.objects.filter(full_name="Каримов Фарид").exists()


def test_a_workbook_as_csv_files_uploaded_together_previews_then_imports(client, staff):
    course = make_course("Community policing basics")
    sheets = two_past_deliveries(course.title)
    sheets.pop("organisations")
    for row in sheets["participants"][1:]:
        row[6] = ""
    client.force_login(staff)
    files = [_upload(f"{name}.csv", as_csv(rows)) for name, rows in sheets.items()]

    preview = client.post(reverse("courses:import_workbook"), {"file": files})

    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.ok, plan.errors
    assert (plan.created["deliveries"], plan.created["marks"]) == (2, 6)
    assert not Delivery.objects.exists()
    confirmed = client.post(reverse("courses:import_workbook_confirm"), {"token": preview.context["token"]})
    assert confirmed.status_code == 302
    assert Delivery.objects.count() == 2 and AttendanceRecord.objects.count() == 6


def test_a_sheet_named_on_the_form_wins_over_the_columns(client, staff):
    # Only delivery and participant: enrolments, attendance and scores fit alike.
    data = as_csv([["delivery", "participant"], ["D1", "P1"]])
    assert workbook.sheet_of_columns({"delivery", "participant"}) is None
    refused = workbook.import_workbook(data=data, user=staff, commit=False)
    assert [error.message for error in refused.errors] == [str(workbook.CSV_SHEET_UNKNOWN)]
    client.force_login(staff)
    named = client.post(
        reverse("courses:import_workbook"), {"file": _upload("e.csv", data), "sheet": "enrolments"}
    )
    errors = named.context["plan"].errors
    assert [(error.sheet, error.column) for error in errors] == [
        ("enrolments", "delivery"),
        ("enrolments", "participant"),
    ]


def test_the_same_sheet_twice_is_refused_and_nothing_is_saved(staff):
    rows = two_past_deliveries("Any course")["participants"]
    plan = workbook.import_workbook(data=[as_csv(rows), as_csv(rows)], user=staff, commit=True)
    assert not plan.ok and "participants" in plan.errors[0].message
    assert not Participant.objects.exists()


def test_null_characters_in_a_csv_are_refused_with_their_row_and_column(staff):
    rows = two_past_deliveries("Any course")["participants"]
    rows[2][1] = "Каримов\x00Фарид"
    plan = workbook.import_workbook(data=as_csv(rows), user=staff, commit=True)
    assert ("participants", 3, "full_name") in {(e.sheet, e.row, e.column) for e in plan.errors}
    assert not Participant.objects.exists()


def test_a_csv_past_the_row_limit_is_refused(staff, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    rows = [workbook.COLUMNS["organisations"]] + [[f"Org {n}", "police", "TJ", ""] for n in range(50)]
    plan = workbook.import_workbook(data=as_csv(rows), user=staff, commit=False)
    assert [error.message for error in plan.errors] == [str(workbook.TOO_MANY_ROWS % {"max": 10})]


def test_a_delivery_import_takes_a_participants_csv(client, staff):
    from courses.tests.factories import DeliveryFactory

    delivery = DeliveryFactory()
    rows = [
        ["full_name", "sex", "audience", "region"],
        ["Ҳакимова Ҳилола", "female", "police", delivery.region.iso_code],
    ]
    client.force_login(staff)
    preview = client.post(
        reverse("courses:delivery_import", args=[delivery.pk]), {"file": _upload("p.csv", as_csv(rows))}
    )
    assert preview.context["plan"].ok, preview.context["plan"].errors
    assert preview.context["plan"].created["enrolments"] == 1
