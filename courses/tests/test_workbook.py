"""Programme records in bulk (issue 14): templates, preview then all-or-nothing, past deliveries,
bounded reading, scopes and a fixed number of queries per sheet."""

import io
import time
import tracemalloc
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Certificate
from attendance.models import AttendanceRecord
from core.localtime import local_date
from courses import workbook
from courses.models import Delivery, Enrolment, Organisation, Participant, Session
from courses.tests.factories import ParticipantFactory, make_course, region
from reports.selectors import ReportScope, report_figures

pytestmark = pytest.mark.django_db

C = workbook.COLUMNS


def two_past_deliveries(course_title: str, labels: dict | None = None) -> dict[str, list[list]]:
    """One completed delivery with two sessions and three people, one cancelled with one session."""
    label = (labels or {}).get
    return {
        "organisations": [C["organisations"], ["ОВД Хуҷанд", label("type", "police"), "TJ", "TJ-SU"]],
        "participants": [
            C["participants"],
            [
                "P1",
                "Раҳимова Зарина",
                "",
                label("female", "female"),
                1992,
                label("police", "police"),
                "ОВД Хуҷанд",
                "",
                "TJ-SU",
                "",
            ],
            ["P2", "Каримов Фарид", "", "male", 1985, "police", "ОВД Хуҷанд", "", "TJ-SU", ""],
            [
                "P3",
                "Саидова Нигина",
                "",
                "female",
                1990,
                "civil_society",
                "",
                "",
                "TJ-SU",
                "+992 92 000 00 03",
            ],
            ["P4", "Юсупов Алишер", "", "male", 1979, "community", "", "", "TJ-SU", ""],
        ],
        "deliveries": [
            C["deliveries"],
            [
                "D1",
                course_title,
                "TJ-SU",
                "",
                label("language", "tg"),
                "",
                2,
                label("completed", "completed"),
                "",
            ],
            ["D2", course_title, "TJ-SU", "", "ru", "", 25, "cancelled", "Наводнение"],
        ],
        "sessions": [
            C["sessions"],
            ["D1", "2025-03-10", "09:00", "13:00", ""],
            ["D1", "2025-03-11", "09:00", "13:00", ""],
            ["D2", "2025-04-01", "09:00", "13:00", ""],
        ],
        "enrolments": [
            C["enrolments"],
            ["D1", "P1", ""],
            ["D1", "P2", ""],
            ["D1", "P3", ""],
            ["D2", "P4", ""],
        ],
        "attendance": [
            [*C["attendance"], "1", "2"],
            ["D1", "P1", "P", label("present", "present")],
            ["D1", "P2", "P", "A"],
            ["D1", "P3", "A", "absent"],
        ],
    }


@pytest.fixture
def staff():
    return user_with_role(Role.ME_STAFF)


@pytest.fixture
def course():
    return make_course("Community policing basics")


def run(sheets, user, commit=True):
    return workbook.import_workbook(data=workbook.workbook_bytes(sheets), user=user, commit=commit)


def test_two_past_deliveries_import_and_the_reports_count_them(staff, course):
    plan = run(two_past_deliveries(course.title), staff)

    assert plan.ok, plan.errors
    assert dict(plan.created) == {
        "organisations": 1,
        "participants": 4,
        "deliveries": 2,
        "sessions": 3,
        "enrolments": 4,
        "marks": 6,
        "scores": 0,
    }
    # Three people on a delivery of capacity 2: recorded, not refused, and said.
    assert any("D1" in warning for warning in plan.warnings)
    completed = Delivery.objects.get(status=Delivery.Status.COMPLETED)
    cancelled = Delivery.objects.get(status=Delivery.Status.CANCELLED)
    assert cancelled.cancellation_reason == "Наводнение"
    assert not cancelled.sessions.exclude(status=Session.Status.CANCELLED).exists()
    # Decided on the delivery's own dates, not today.
    decided = Enrolment.objects.filter(delivery=completed)
    assert {local_date(e.decided_at, completed.region) for e in decided} == {date(2025, 3, 11)}
    assert sorted(decided.values_list("status", flat=True)) == ["completed", "not_completed", "not_completed"]
    certificate = Certificate.objects.get(delivery=completed)
    assert certificate.completed_on == date(2025, 3, 11)
    assert certificate.participant.full_name == "Раҳимова Зарина"
    assert Participant.objects.get(full_name="Раҳимова Зарина").organisation == Organisation.objects.get()

    figures = report_figures(ReportScope(user=staff))
    assert figures.deliveries_completed == 1
    assert figures.sessions_held == 2
    assert figures.people_reached == 2
    assert figures.people_trained == 1


def test_the_same_workbook_twice_creates_nothing_and_says_so(staff, course):
    sheets = two_past_deliveries(course.title)
    assert run(sheets, staff).ok
    counts = (Participant.objects.count(), Delivery.objects.count(), AttendanceRecord.objects.count())

    again = run(sheets, staff)

    assert again.ok and again.creates_nothing
    assert again.matched["participants"] == 4 and again.matched["deliveries"] == 2
    assert (Participant.objects.count(), Delivery.objects.count(), AttendanceRecord.objects.count()) == counts


def test_one_bad_cell_in_each_sheet_saves_nothing_and_names_every_cell(staff, course):
    sheets = two_past_deliveries(course.title)
    sheets["organisations"][1][1] = "bakery"
    sheets["participants"][2][4] = "19x5"
    sheets["deliveries"][2][8] = ""  # cancelled without a reason
    sheets["sessions"][1][2] = "9 o'clock"
    sheets["enrolments"][3][1] = "P9"
    sheets["attendance"][2][3] = "maybe"
    sheets["scores"] = [C["scores"], ["D1", "P1", "middle", 5, 10]]

    plan = run(sheets, staff)

    found = {(error.sheet, error.row, error.column) for error in plan.errors}
    assert {
        ("organisations", 2, "type"),
        ("participants", 3, "year_of_birth"),
        ("deliveries", 3, "cancellation_reason"),
        ("sessions", 2, "starts"),
        ("enrolments", 4, "participant"),
        ("attendance", 3, "2"),
        ("scores", 2, "phase"),
    } <= found
    assert not Participant.objects.exists() and not Delivery.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("language", ["ru", "tg", "ky"])
def test_labels_in_russian_tajik_and_kyrgyz_are_accepted(staff, course, language):
    from attendance.models import AttendanceStatus
    from core.enums import Audience, OrganisationType, Sex

    with translation.override(language):
        labels = {
            "type": str(OrganisationType.POLICE.label),
            "female": str(Sex.FEMALE.label),
            "police": str(Audience.POLICE.label),
            "completed": str(Delivery.Status.COMPLETED.label),
            "present": str(AttendanceStatus.PRESENT.label),
            "language": "Tajik" if language == "en" else str(dict(workbook.settings.LANGUAGES)["tg"]),
        }
    # The labels really are translated (the test would pass trivially on English ones).
    assert labels["female"] != "Female"

    plan = run(two_past_deliveries(course.title, labels), staff)

    assert plan.ok, plan.errors
    zarina = Participant.objects.get(full_name="Раҳимова Зарина")
    assert (zarina.sex, zarina.audience) == ("female", "police")
    assert Organisation.objects.get().type == "police"
    assert Delivery.objects.filter(status="completed", language="tg").exists()


def test_a_coordinator_cannot_import_into_another_region_and_sees_no_foreign_person(course):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("KG-O").coordinators.add(coordinator)
    someone_in_tajikistan = ParticipantFactory(
        full_name="Каримов Фарид", year_of_birth=1985, region=region("TJ-SU")
    )
    sheets = two_past_deliveries(course.title)
    sheets["participants"].append(["P5", "Каримов Фарид", "", "male", 1985, "police", "", "", "KG-O", ""])

    plan = run(sheets, coordinator)

    regions_refused = {(e.sheet, e.row) for e in plan.errors if e.column == "region"}
    assert {("participants", 2), ("participants", 3), ("deliveries", 2), ("deliveries", 3)} <= regions_refused
    clash = [e for e in plan.errors if e.sheet == "participants" and e.row == 6]
    assert [e.column for e in clash] == ["full_name"]
    text = " ".join(e.message for e in plan.errors)
    assert f"#{someone_in_tajikistan.pk}" not in text and "Фарид" not in text
    # The rows refused for their region are named once, not again wherever their keys are used.
    assert not [e for e in plan.errors if e.sheet in ("sessions", "enrolments", "attendance")]
    assert not Delivery.objects.exists()


def _huge_xlsx(rows: int) -> bytes:
    """A valid XLSX whose one sheet declares and holds `rows` rows, written without openpyxl."""
    sheet_head = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><dimension ref="A1:A{rows}"/><sheetData>'
    )
    buffer = io.BytesIO()
    template = load_workbook(io.BytesIO(workbook.workbook_bytes({"participants": [["key"]]})))
    plain = io.BytesIO()
    template.save(plain)
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open("xl/worksheets/sheet1.xml", "w") as sheet:
                    sheet.write(sheet_head.encode())
                    chunk = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 1001))
                    for start in range(0, rows, 1000):
                        if start:
                            chunk = "".join(
                                f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>'
                                for n in range(start + 1, start + 1001)
                            )
                        sheet.write(chunk.encode())
                    sheet.write(b"</sheetData></worksheet>")
            else:
                out.writestr(item, source.read(item.filename))
    return buffer.getvalue()


def test_a_million_row_workbook_is_refused_quickly_and_in_little_memory(staff):
    data = _huge_xlsx(1_000_000)
    assert len(data) < 6_000_000

    tracemalloc.start()
    started = time.perf_counter()
    plan = workbook.import_workbook(data=data, user=staff, commit=True)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert [error.message for error in plan.errors] == [
        str(workbook.TOO_MANY_ROWS % {"max": workbook.MAX_ROWS})
    ]
    assert elapsed < 2
    assert peak < 50 * 1024 * 1024


def test_a_sheet_that_hides_its_size_is_stopped_at_the_limit_while_streaming(staff, monkeypatch):
    monkeypatch.setattr(workbook, "_dimension_rows_columns", lambda sheet: (0, 0))
    monkeypatch.setattr(workbook, "MAX_ROWS", 500)

    plan = workbook.import_workbook(data=_huge_xlsx(5_000), user=staff, commit=True)

    assert [error.message for error in plan.errors] == [str(workbook.TOO_MANY_ROWS % {"max": 500})]


def test_null_and_control_characters_are_refused_with_their_row(staff, course):
    # XLSX writers refuse these characters, but a crafted file (or an _x0000_ escape) carries them.
    sheets = {
        name: [
            (number, dict(zip([str(c) for c in rows[0]], [str(v) for v in row], strict=False)))
            for number, row in enumerate(rows, start=1)
        ]
        for name, rows in two_past_deliveries(course.title).items()
    }
    sheets["participants"][3][1]["full_name"] = "Саидова\x00Нигина"

    plan = workbook.plan_import(sheets=sheets, user=staff)

    assert ("participants", 4, "full_name") in {(e.sheet, e.row, e.column) for e in plan.errors}
    assert not Participant.objects.exists()


def _sized(people: int, course_title: str) -> dict[str, list[list]]:
    sheets = two_past_deliveries(course_title)
    for n in range(people):
        sheets["participants"].append(
            [f"X{n}", f"Одам {n}", "", "male", 1980 + n % 20, "police", "", "", "TJ-SU", ""]
        )
        sheets["enrolments"].append(["D1", f"X{n}", ""])
        sheets["attendance"].append(["D1", f"X{n}", "P", "P"])
    return sheets


def test_queries_do_not_grow_with_the_rows(staff, course):
    # Certificates are issued one by one by assessments.services (a unique code each), so they are
    # left out here; every sheet is written in bulk.
    def queries(people: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            data = workbook.workbook_bytes(_sized(people, course.title))
            plan = workbook.import_workbook(data=data, user=staff, commit=True, issue_certificates=False)
        assert plan.ok and plan.created["participants"] == people + 4
        AttendanceRecord.objects.all().delete()
        Enrolment.objects.all().delete()
        Delivery.objects.all().delete()
        Participant.objects.all().delete()
        Organisation.objects.all().delete()
        return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])

    queries(6)  # warms the content-type cache the audit trail reads
    small = queries(6)
    # Ten times the rows: the same statements, only SQLite's insert batches (999 parameters) split.
    assert queries(60) - small <= 3


def test_the_template_has_instructions_every_sheet_and_dropdowns(staff, client):
    client.force_login(staff)
    with translation.override("ru"):
        response = client.get(reverse("courses:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:1] == ["instructions"] and set(workbook.SHEETS) <= set(book.sheetnames)
    participants = book["participants"]
    assert [cell.value for cell in participants[1]] == C["participants"]
    assert participants.data_validations.dataValidation


@pytest.mark.parametrize("role", [Role.TRAINER, Role.TRAINEE])
def test_trainers_and_trainees_may_not_import(client, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("courses:import_workbook")).status_code == 403
    assert client.get(reverse("courses:import_template")).status_code == 403


def test_preview_then_confirm_applies_once(staff, course, client):
    client.force_login(staff)
    data = workbook.workbook_bytes(two_past_deliveries(course.title))
    upload = io.BytesIO(data)
    upload.name = "records.xlsx"

    preview = client.post(reverse("courses:import_workbook"), {"file": upload})

    assert preview.status_code == 200 and not Delivery.objects.exists()
    token = preview.context["token"]
    assert preview.context["plan"].created["deliveries"] == 2
    confirmed = client.post(reverse("courses:import_workbook_confirm"), {"token": token})
    assert confirmed.status_code == 302
    assert Delivery.objects.count() == 2
    again = client.post(reverse("courses:import_workbook_confirm"), {"token": token}, follow=True)
    assert Delivery.objects.count() == 2
    assert again.status_code == 200


def test_the_participant_import_does_not_name_a_person_outside_the_coordinators_regions(client):
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("KG-O").coordinators.add(coordinator)
    elsewhere = ParticipantFactory(
        full_name="Асанов Нурлан", year_of_birth=1980, organisation=None, region=region("TJ-SU")
    )
    client.force_login(coordinator)
    upload = io.BytesIO(
        "full_name,sex,year_of_birth,audience,region\nАсанов Нурлан,male,1980,police,KG-O\n".encode()
    )
    upload.name = "people.csv"

    response = client.post(reverse("courses:participant_import"), {"file": upload})

    page = response.content.decode()
    assert f"#{elsewhere.pk}" not in page and "Асанов Нурлан" not in page
    assert str(workbook.CLASH_OUTSIDE_SCOPE) in page.replace("&#x27;", "'")
    assert Participant.objects.count() == 1


def test_organisation_types_share_the_audience_codes():
    from core.enums import Audience, OrganisationType

    # Every audience but "community" (not an organisation) is also an organisation type, by the same code.
    assert set(Audience.values) - {Audience.COMMUNITY} <= set(OrganisationType.values)


def test_the_migration_maps_old_organisation_type_codes(staff):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("courses.migrations.0009_one_audience_vocabulary")
    old = Organisation.objects.create(name="Жамоат", type="local_authority", country=region("TJ-SU").country)
    youth = Organisation.objects.create(name="Ҷавонон", type="youth_group", country=region("TJ-SU").country)

    migration.map_old_codes(apps, None)

    old.refresh_from_db()
    youth.refresh_from_db()
    assert (old.type, youth.type) == ("local_authorities", "youth")


def test_export_then_import_into_an_empty_database_gives_the_same_figures(staff, course, client):
    from assessments.models import Attempt
    from assessments.tests.factories import make_instrument

    make_instrument(course)
    sheets = two_past_deliveries(course.title)
    sheets["scores"] = [
        C["scores"],
        ["D1", "P1", "pre", 4, 10],
        ["D1", "P1", "post", 9, 10],
        ["D1", "P2", "post", 8, 10],
    ]
    assert run(sheets, staff).ok
    before = report_figures(ReportScope(user=staff))
    client.force_login(staff)

    exported = client.get(reverse("courses:export_workbook"))

    assert exported.status_code == 200
    for model in (
        Certificate,
        Attempt,
        AttendanceRecord,
        Enrolment,
        Session,
        Delivery,
        Participant,
        Organisation,
    ):
        model.objects.all().delete()
    plan = workbook.import_workbook(data=exported.content, user=staff, commit=True)
    assert plan.ok, plan.errors
    after = report_figures(ReportScope(user=staff))
    names = (
        "deliveries_completed",
        "sessions_held",
        "people_reached",
        "people_trained",
        "certificates_issued",
    )
    assert [getattr(after, name) for name in names] == [getattr(before, name) for name in names]
    assert after.test_scores == before.test_scores
    assert before.people_trained == 1 and before.sessions_held == 2


def test_only_staff_export(client):
    client.force_login(user_with_role(Role.REGIONAL_COORDINATOR))
    assert client.get(reverse("courses:export_workbook")).status_code == 403


def test_pasted_rows_are_previewed_then_enrolled_in_the_delivery(staff, client):
    from courses.tests.factories import DeliveryFactory

    delivery = DeliveryFactory(region=region("TJ-SU"))
    known = ParticipantFactory(full_name="Раҳимова Зарина", year_of_birth=1992, region=region("TJ-SU"))
    pasted = (
        "full_name\tsex\tyear_of_birth\taudience\tregion\n"
        "РАҲИМОВА  Зарина\tfemale\t1992\tpolice\tTJ-SU\n"
        "Каримов Фарид\tmale\t1985\tcommunity\tTJ-SU\n"
    )
    client.force_login(staff)

    preview = client.post(reverse("courses:delivery_import", args=[delivery.pk]), {"rows": pasted})

    plan = preview.context["plan"]
    assert plan.ok, plan.errors
    assert (plan.created["participants"], plan.created["enrolments"], plan.matched["participants"]) == (
        1,
        2,
        1,
    )
    assert not delivery.enrolments.exists()
    confirm = client.post(
        reverse("courses:delivery_import_confirm", args=[delivery.pk]), {"token": preview.context["token"]}
    )
    assert confirm.status_code == 302
    assert set(delivery.enrolments.values_list("participant__full_name", flat=True)) == {
        known.full_name,
        "Каримов Фарид",
    }


def test_a_coordinator_cannot_open_another_regions_delivery_import(client):
    from courses.tests.factories import DeliveryFactory

    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    region("KG-O").coordinators.add(coordinator)
    delivery = DeliveryFactory(region=region("TJ-SU"))
    client.force_login(coordinator)
    assert client.get(reverse("courses:delivery_import", args=[delivery.pk])).status_code == 404
