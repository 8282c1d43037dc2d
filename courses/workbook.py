"""Programme records in bulk: one workbook of organisations, participants, deliveries, sessions,
enrolments, attendance and test scores, read, checked, previewed and applied all or nothing.

Three steps, so the preview and the confirmation read the same file the same way:

* `read_workbook` streams an uploaded XLSX (openpyxl read-only) into rows per sheet, refusing it
  before reading a row when its declared dimensions pass the limits, and as soon as a sheet passes
  them while streaming (a file may lie about its dimensions);
* `plan_import` checks every cell and matches every row to what exists, naming each problem by
  sheet, row and column; it writes nothing;
* `apply_import` writes a clean plan in one transaction with a fixed number of bulk queries per
  sheet, then completes or cancels past deliveries through courses.services so their completion
  decisions and certificates follow the delivery's own dates.

Rows match existing records by natural keys, so the same workbook imported twice creates nothing:
an organisation by name and country, a person by normalised name and year of birth or by phone, a
delivery by course, region and first session start. A delivery that already exists is skipped
with everything under it. See docs/imports.md.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core import audit
from core.enums import Audience, OrganisationType, Sex
from core.localtime import aware

from . import rules
from .models import Delivery, Enrolment, Organisation, Participant, Region, Session, Venue, normalise_name

# The same refusals as the services that schedule by hand: one wording, one translation.
from .services import CANCEL_NEEDS_REASON
from .services import SESSION_ENDS_BEFORE_START as ENDS_BEFORE_START

# Limits -----------------------------------------------------------------------------------------------

# Per sheet. 1,000 people on 50 deliveries with three sessions each fit several times over.
MAX_ROWS = 20_000
MAX_COLUMNS = 60
# Bytes of the upload itself (a compressed XLSX): the read stops at the row limit in any case.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Sheets and columns ---------------------------------------------------------------------------------

ORGANISATIONS, PARTICIPANTS, DELIVERIES, SESSIONS = "organisations", "participants", "deliveries", "sessions"
ENROLMENTS, ATTENDANCE, SCORES = "enrolments", "attendance", "scores"
INSTRUCTIONS = "instructions"

COLUMNS = {
    ORGANISATIONS: ["name", "type", "country", "region"],
    PARTICIPANTS: [
        "key",
        "full_name",
        "latin_name",
        "sex",
        "year_of_birth",
        "audience",
        "organisation",
        "position",
        "region",
        "phone",
    ],
    DELIVERIES: [
        "key",
        "course",
        "region",
        "venue",
        "language",
        "trainers",
        "capacity",
        "status",
        "cancellation_reason",
    ],
    SESSIONS: ["delivery", "date", "starts", "ends", "title", "status"],
    ENROLMENTS: ["delivery", "participant", "audience", "status"],
    # Then one column per session of the delivery, in date order: 1, 2, 3 …
    ATTENDANCE: ["delivery", "participant"],
    # Then, instead of score and max_score, the answers per question: q1, q2, q3 … in the order of
    # the course's test.
    SCORES: ["delivery", "participant", "phase", "score", "max_score"],
}
REQUIRED = {
    ORGANISATIONS: {"name", "type", "country"},
    PARTICIPANTS: {"key", "full_name", "sex", "audience", "region"},
    DELIVERIES: {"key", "course", "region", "language", "status"},
    SESSIONS: {"delivery", "date", "starts", "ends"},
    ENROLMENTS: {"delivery", "participant"},
    ATTENDANCE: {"delivery", "participant"},
    SCORES: {"delivery", "participant", "phase"},
}
SHEETS = list(COLUMNS)

# Attendance letters (English initials; the full names in any language are accepted too).
ATTENDANCE_LETTERS = {"p": "present", "l": "late", "e": "left_early", "x": "excused", "a": "absent"}

# Messages -------------------------------------------------------------------------------------------

UNREADABLE = gettext_lazy("The file could not be read as an XLSX workbook.")
UNREADABLE_CSV = gettext_lazy("The file could not be read as CSV (comma- or semicolon-separated text).")
CSV_SHEET_UNKNOWN = gettext_lazy(
    "Which sheet this CSV file holds could not be told from its columns; choose the sheet on the form."
)
SHEET_TWICE = gettext_lazy("Two of the files hold the %(sheet)s sheet; upload each sheet once.")
TOO_BIG = gettext_lazy("The file is larger than %(size)s MB.")
TOO_MANY_ROWS = gettext_lazy("A sheet may hold at most %(max)s rows.")
TOO_MANY_COLUMNS = gettext_lazy("A sheet may hold at most %(max)s columns.")
NO_SHEETS = gettext_lazy("The workbook has none of the sheets %(sheets)s.")
MISSING_COLUMN = gettext_lazy("The header row lacks this column.")
REQUIRED_VALUE = gettext_lazy("This value is required.")
BAD_CHARACTERS = gettext_lazy("Null characters and other control characters are not allowed.")
UNKNOWN_CHOICE = gettext_lazy("“%(value)s” is not one of: %(choices)s.")
BAD_YEAR = gettext_lazy("“%(value)s” is not a year between 1920 and 2030.")
BAD_NUMBER = gettext_lazy("“%(value)s” is not a number.")
BAD_DATE = gettext_lazy("“%(value)s” is not a date (YYYY-MM-DD).")
BAD_TIME = gettext_lazy("“%(value)s” is not a time (HH:MM).")
UNKNOWN_REGION = gettext_lazy("No region has the ISO code “%(value)s”.")
UNKNOWN_COUNTRY = gettext_lazy("No country has the ISO code “%(value)s”.")
REGION_NOT_YOURS = gettext_lazy("You cannot import into region %(value)s.")
UNKNOWN_ORGANISATION = gettext_lazy(
    "No organisation called “%(value)s” in this country, here or in the workbook."
)
UNKNOWN_COURSE = gettext_lazy("No course has the title or slug “%(value)s”.")
UNKNOWN_VENUE = gettext_lazy("No venue called “%(value)s” in this region.")
UNKNOWN_TRAINER = gettext_lazy("No user has the username “%(value)s”.")
UNKNOWN_DELIVERY = gettext_lazy("No delivery has the key “%(value)s” in the deliveries sheet.")
UNKNOWN_PARTICIPANT = gettext_lazy("No participant has the key “%(value)s” in the participants sheet.")
DUPLICATE_KEY = gettext_lazy("Same key as row %(row)s.")
DUPLICATE_ROW = gettext_lazy("Same as row %(row)s.")
CLASH_OUTSIDE_SCOPE = gettext_lazy(
    "A person with this name and year of birth, or this phone, is registered in a region you do not "
    "manage; ask programme staff to import this row."
)
COMPLETED_NOT_ENDED = gettext_lazy("A completed delivery's sessions must all have ended.")
COMPLETED_WITHOUT_SESSIONS = gettext_lazy("A completed delivery needs at least one session.")
NOT_ENROLLED = gettext_lazy("This participant is not enrolled in this delivery in the enrolments sheet.")
NO_SUCH_SESSION = gettext_lazy("This delivery has only %(count)s sessions.")
CANCELLED_HAS_NO_MARKS = gettext_lazy("A cancelled delivery has no held sessions to mark or test.")
NO_TEST = gettext_lazy("This course has no test.")
SCORE_RANGE = gettext_lazy("The score must be between 0 and the maximum score, and the maximum above 0.")
SCORE_OR_ANSWERS = gettext_lazy("Give either the score and maximum score, or the answers per question.")
NO_SUCH_QUESTION = gettext_lazy("This test has only %(count)s questions.")
OVER_CAPACITY = gettext_lazy(
    "Delivery “%(key)s” enrols %(count)s people, above its capacity of %(capacity)s."
)
TOO_LONG = gettext_lazy("At most %(limit)s characters.")

# Characters a web form refuses too: NUL and the other C0 controls but tab and line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class Plan:
    """What an import would do (or did): counts for the preview, errors, and the rows to write."""

    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    # The objects to write, filled by plan_import.
    organisations: list[Organisation] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)
    # Every participants-sheet key → the person it names (matched or new).
    people: dict = field(default_factory=dict)
    # Importing straight into a delivery: who is to be enrolled in it.
    into: Delivery | None = None
    to_enrol: list[Participant] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def creates_nothing(self) -> bool:
        return not any(self.created.values())


class WorkbookRefused(ValidationError):
    """The file as a whole cannot be read: too big, too many rows, not an XLSX."""


# Reading --------------------------------------------------------------------------------------------


def _dimension_rows_columns(sheet) -> tuple[int, int]:
    """The declared size of a read-only sheet, read from its <dimension> element (0 when missing)."""
    try:
        return sheet.max_row or 0, sheet.max_column or 0
    except Exception:  # a malformed dimension reads as unknown; the streaming count still applies
        return 0, 0


def read_workbook(data: bytes) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Rows per known sheet as (row number, {column: text}), header names lower-cased.

    Refuses the whole file (WorkbookRefused) when it is not an XLSX, too large, or any sheet's
    declared or actual size passes MAX_ROWS / MAX_COLUMNS: the check comes before the first row is
    read, and the streaming count stops one row past the limit, so a huge file costs nothing.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookRefused(TOO_BIG % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl errors all mean "not a workbook we read"
        raise WorkbookRefused(UNREADABLE) from error
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        found = [sheet for sheet in SHEETS if sheet in names]
        if not found:
            raise WorkbookRefused(NO_SHEETS % {"sheets": ", ".join(SHEETS)})
        for sheet_name in found:
            declared_rows, declared_columns = _dimension_rows_columns(book[names[sheet_name]])
            if declared_rows > MAX_ROWS + 1:
                raise WorkbookRefused(TOO_MANY_ROWS % {"max": MAX_ROWS})
            if declared_columns > MAX_COLUMNS:
                raise WorkbookRefused(TOO_MANY_COLUMNS % {"max": MAX_COLUMNS})
        sheets = {}
        for sheet_name in found:
            sheets[sheet_name] = _read_sheet(book[names[sheet_name]])
        return sheets
    except WorkbookRefused:
        raise
    except Exception as error:
        raise WorkbookRefused(UNREADABLE) from error
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_sheet(sheet) -> list[tuple[int, dict[str, str]]]:
    return _read_rows(sheet.iter_rows(values_only=True))


def _read_rows(table) -> list[tuple[int, dict[str, str]]]:
    """Rows of one sheet (an XLSX sheet's or a CSV file's), streamed, stopping past the limits."""
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for number, values in enumerate(table, start=1):
        if number > MAX_ROWS + 1:
            raise WorkbookRefused(TOO_MANY_ROWS % {"max": MAX_ROWS})
        texts = [_text(value) for value in values]
        while texts and not texts[-1]:
            texts.pop()
        if len(texts) > MAX_COLUMNS:
            raise WorkbookRefused(TOO_MANY_COLUMNS % {"max": MAX_COLUMNS})
        if header is None:
            header = [text.lower().replace(" ", "_") for text in texts]
            continue
        if not any(texts):
            continue
        rows.append((number, {key: value for key, value in zip(header, texts, strict=False) if key}))
    if header is None:
        return []
    # The header travels as row 1 so that missing columns can be named.
    return [(1, {key: key for key in header if key}), *rows]


# A CSV file is one sheet; an XLSX file (a zip archive) begins with these bytes.
ZIP_SIGNATURE = b"PK\x03\x04"
CSV_DELIMITERS = ",;\t"


def read_upload(data: bytes, *, sheet: str = "") -> dict[str, list[tuple[int, dict[str, str]]]]:
    """An uploaded XLSX workbook, or a CSV file of one sheet: `sheet` when the importer names it,
    otherwise the sheet its header row fits (sheet_of_columns)."""
    if data.startswith(ZIP_SIGNATURE) or not data.strip():
        return read_workbook(data)
    return read_csv(data, sheet=sheet)


def read_uploads(files: list[bytes], *, sheet: str = "") -> dict[str, list[tuple[int, dict[str, str]]]]:
    """The sheets of several files uploaded together (a workbook's sheets as CSV files, say), each
    sheet once; `sheet` names the sheet of a lone CSV file."""
    sheets: dict[str, list] = {}
    for data in files:
        for name, rows in read_upload(data, sheet=sheet if len(files) == 1 else "").items():
            if name in sheets:
                raise WorkbookRefused(SHEET_TWICE % {"sheet": name})
            sheets[name] = rows
    return sheets


def read_csv(data: bytes, *, sheet: str = "") -> dict[str, list[tuple[int, dict[str, str]]]]:
    """One sheet's rows from CSV in read_workbook's form, under the same limits.

    UTF-8 (with or without the BOM our templates carry), else Windows-1251, which is what a
    Russian Excel writes for "CSV"; comma, semicolon (the same Excel's separator) or tab.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookRefused(TOO_BIG % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise WorkbookRefused(UNREADABLE_CSV) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=CSV_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    try:
        rows = _read_rows(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise WorkbookRefused(UNREADABLE_CSV) from error
    if not rows:
        raise WorkbookRefused(UNREADABLE_CSV)
    name = sheet if sheet in SHEETS else sheet_of_columns(set(rows[0][1]))
    if name is None:
        raise WorkbookRefused(CSV_SHEET_UNKNOWN)
    return {name: rows}


def _extra_columns(sheet: str, header: set[str]) -> set[str]:
    """The numbered columns a sheet may have besides its named ones: sessions, questions."""
    if sheet == ATTENDANCE:
        return {column for column in header if column.isdigit()}
    if sheet == SCORES:
        return {column for column in header if question_number(column)}
    return set()


def sheet_of_columns(header: set[str]) -> str | None:
    """The sheet whose required columns a header has and whose other columns it shares most;
    None when two sheets fit equally (an enrolments header of only delivery and participant fits
    attendance and scores too)."""
    fits = sorted(
        (
            (len(header & (set(COLUMNS[sheet]) | _extra_columns(sheet, header))), sheet)
            for sheet in SHEETS
            if REQUIRED[sheet] <= header
        ),
        reverse=True,
    )
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]


def question_number(column: str) -> int | None:
    """The question a scores column answers: q1 → 1 (the header is lower-cased when read)."""
    if len(column) > 1 and column[0] == "q" and column[1:].isdigit() and int(column[1:]) >= 1:
        return int(column[1:])
    return None


# Vocabularies ---------------------------------------------------------------------------------------


def _vocabulary(choices) -> dict[str, str]:
    """Every way a cell may name a choice: its code and its label in each interface language."""
    names = {}
    for code, label in choices:
        names[str(code).casefold()] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[str(label).strip().casefold()] = code
    return names


def vocabularies() -> dict[str, dict[str, str]]:
    from assessments.models import Phase
    from attendance.models import AttendanceStatus

    attendance = _vocabulary(AttendanceStatus.choices)
    attendance.update(ATTENDANCE_LETTERS)
    return {
        "sex": _vocabulary(Sex.choices),
        "audience": _vocabulary(Audience.choices),
        "organisation_type": _vocabulary(OrganisationType.choices),
        "status": _vocabulary(Delivery.Status.choices),
        "session_status": _vocabulary(Session.Status.choices),
        "enrolment_status": _vocabulary(Enrolment.Status.choices),
        "language": _vocabulary(settings.LANGUAGES),
        "phase": _vocabulary(Phase.choices),
        "attendance": attendance,
    }


def _phone_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 6 else ""


# Planning -------------------------------------------------------------------------------------------


class _Checker:
    """Collects errors for one sheet row at a time."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.sheet, self.row, self.count = "", 0, 0
        self.refused: set[tuple[str, str]] = set()

    def at(self, sheet: str, row: int) -> "_Checker":
        self.sheet, self.row, self.count = sheet, row, len(self.plan.errors)
        return self

    def error(self, column: str, message) -> None:
        self.plan.errors.append(CellError(self.sheet, self.row, column, str(message)))

    @property
    def row_ok(self) -> bool:
        return len(self.plan.errors) == self.count

    def required(self, values: dict, columns) -> None:
        for column in sorted(columns):
            if not values.get(column, ""):
                self.error(column, REQUIRED_VALUE)

    def choice(self, values: dict, column: str, vocabulary: dict, choices) -> str | None:
        raw = values.get(column, "")
        if not raw:
            return None
        code = vocabulary.get(raw.casefold())
        if code is None:
            self.error(column, UNKNOWN_CHOICE % {"value": raw, "choices": ", ".join(str(c) for c in choices)})
        return code


def _check_sheet_header(check: _Checker, sheet: str, rows) -> list[tuple[int, dict]]:
    """The data rows of a sheet, after naming each missing required column and each bad character."""
    if not rows:
        return []
    header = rows[0][1]
    check.at(sheet, 1)
    for column in sorted(REQUIRED[sheet] - set(header)):
        check.error(column, MISSING_COLUMN)
    if not check.row_ok:
        return []
    for number, values in rows[1:]:
        check.at(sheet, number)
        for column, value in values.items():
            if _CONTROL.search(value):
                check.error(column, BAD_CHARACTERS)
                values[column] = ""
    return rows[1:]


def plan_import(*, sheets: dict[str, list], user: User, now: datetime | None = None) -> Plan:
    """Check every row and work out what applying the workbook would create; writes nothing."""
    from assessments.selectors import instrument_for_delivery, questions_with_choices
    from curriculum.models import CoursePage

    now = now or timezone.now()
    plan = Plan()
    check = _Checker(plan)
    words = vocabularies()
    regions = {region.iso_code: region for region in Region.objects.select_related("country")}
    managed = set(rules.regions_managed_by(user).values_list("pk", flat=True))
    countries = {region.country.iso_code: region.country for region in regions.values()}

    def region_of(values: dict, column: str = "region") -> Region | None:
        raw = values.get(column, "").upper()
        if not raw:
            return None
        region = regions.get(raw)
        if region is None:
            check.error(column, UNKNOWN_REGION % {"value": values[column]})
        elif region.pk not in managed:
            check.error(column, REGION_NOT_YOURS % {"value": region.iso_code})
            return None
        return region

    def limit(values: dict, column: str, most: int) -> None:
        if len(values.get(column, "")) > most:
            check.error(column, TOO_LONG % {"limit": most})

    # Organisations ------------------------------------------------------------------------------
    organisations = {(normalise_name(o.name), o.country_id): o for o in Organisation.objects.all()}
    for number, values in _check_sheet_header(check, ORGANISATIONS, sheets.get(ORGANISATIONS, [])):
        check.at(ORGANISATIONS, number).required(values, REQUIRED[ORGANISATIONS])
        kind = check.choice(values, "type", words["organisation_type"], OrganisationType.values)
        country = countries.get(values.get("country", "").upper())
        if values.get("country") and country is None:
            check.error("country", UNKNOWN_COUNTRY % {"value": values["country"]})
        region = region_of(values) if values.get("region") else None
        limit(values, "name", 255)
        if not check.row_ok or country is None:
            continue
        key = (normalise_name(values["name"]), country.pk)
        if key in organisations:
            plan.matched["organisations"] += 1
            continue
        organisation = Organisation(name=values["name"], type=kind, country=country, region=region)
        organisations[key] = organisation
        plan.organisations.append(organisation)
    plan.created["organisations"] = len(plan.organisations)

    # Participants -------------------------------------------------------------------------------
    participant_rows = _check_sheet_header(check, PARTICIPANTS, sheets.get(PARTICIPANTS, []))
    name_keys = {normalise_name(values.get("full_name", "")) for _n, values in participant_rows}
    phones = {values.get("phone", "") for _n, values in participant_rows} - {""}
    phone_variants = phones | {_phone_digits(phone) for phone in phones} - {""}
    existing_people = list(
        Participant.objects.filter(Q(name_key__in=name_keys) | Q(phone__in=phone_variants))
    )
    by_name = {}
    by_phone = {}
    for person in sorted(existing_people, key=lambda p: p.pk):
        by_name.setdefault((person.name_key, person.year_of_birth), person)
        if _phone_digits(person.phone):
            by_phone.setdefault(_phone_digits(person.phone), person)
    managed_people = set(
        rules.participants_managed_by(user)
        .filter(pk__in=[p.pk for p in existing_people])
        .values_list("pk", flat=True)
    )
    people: dict[str, Participant] = {}
    # Keys of rows refused above: later sheets refer to them without repeating the error.
    refused: set[tuple[str, str]] = check.refused
    key_rows: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    for number, values in participant_rows:
        check.at(PARTICIPANTS, number).required(values, REQUIRED[PARTICIPANTS])
        sex = check.choice(values, "sex", words["sex"], Sex.values)
        audience = check.choice(values, "audience", words["audience"], Audience.values)
        year = None
        if values.get("year_of_birth"):
            raw = values["year_of_birth"]
            if raw.isdigit() and 1920 <= int(raw) <= 2030:
                year = int(raw)
            else:
                check.error("year_of_birth", BAD_YEAR % {"value": raw})
        region = region_of(values)
        organisation = None
        if values.get("organisation") and region is not None:
            organisation = organisations.get((normalise_name(values["organisation"]), region.country_id))
            if organisation is None:
                check.error("organisation", UNKNOWN_ORGANISATION % {"value": values["organisation"]})
        for column, most in (
            ("key", 64),
            ("full_name", 200),
            ("latin_name", 200),
            ("position", 200),
            ("phone", 32),
        ):
            limit(values, column, most)
        key = values.get("key", "")
        if key in key_rows:
            check.error("key", DUPLICATE_KEY % {"row": key_rows[key]})
        if not check.row_ok:
            refused.add((PARTICIPANTS, key))
            continue
        key_rows[key] = number
        name_key = normalise_name(values["full_name"])
        natural = (name_key, year)
        if natural in seen_people and year is not None:
            check.error("full_name", DUPLICATE_ROW % {"row": seen_people[natural]})
            refused.add((PARTICIPANTS, key))
            continue
        seen_people[natural] = number
        match = (by_name.get(natural) if year is not None else None) or by_phone.get(
            _phone_digits(values.get("phone", ""))
        )
        if match is not None:
            if match.pk not in managed_people:
                # Never name or number a record the importer may not see.
                check.error("full_name", CLASH_OUTSIDE_SCOPE)
                refused.add((PARTICIPANTS, key))
                continue
            people[key] = match
            plan.matched["participants"] += 1
            continue
        person = Participant(
            full_name=values["full_name"],
            latin_name=values.get("latin_name", ""),
            sex=sex,
            year_of_birth=year,
            audience=audience,
            organisation=organisation,
            position=values.get("position", ""),
            region=region,
            phone=values.get("phone", ""),
            name_key=name_key,
        )
        people[key] = person
        plan.participants.append(person)
    plan.created["participants"] = len(plan.participants)
    plan.people = people

    # Deliveries ---------------------------------------------------------------------------------
    courses = {}
    for course in CoursePage.objects.order_by("-pk"):
        courses[course.slug.casefold()] = course
        courses[course.title.strip().casefold()] = course
    venues = {(venue.region_id, normalise_name(venue.name)): venue for venue in Venue.objects.all()}
    delivery_rows = _check_sheet_header(check, DELIVERIES, sheets.get(DELIVERIES, []))
    usernames = {
        name.strip()
        for _n, values in delivery_rows
        for name in values.get("trainers", "").split(",")
        if name.strip()
    }
    trainers = {user.username.casefold(): user for user in User.objects.filter(username__in=usernames)}
    deliveries: dict[str, dict] = {}
    for number, values in delivery_rows:
        check.at(DELIVERIES, number).required(values, REQUIRED[DELIVERIES])
        course = courses.get(values.get("course", "").casefold())
        if values.get("course") and course is None:
            check.error("course", UNKNOWN_COURSE % {"value": values["course"]})
        region = region_of(values)
        venue = None
        if values.get("venue") and region is not None:
            venue = venues.get((region.pk, normalise_name(values["venue"])))
            if venue is None:
                check.error("venue", UNKNOWN_VENUE % {"value": values["venue"]})
        language = check.choice(
            values, "language", words["language"], [code for code, _n in settings.LANGUAGES]
        )
        status = check.choice(values, "status", words["status"], Delivery.Status.values)
        capacity = 25
        if values.get("capacity"):
            if values["capacity"].isdigit() and int(values["capacity"]) >= 1:
                capacity = int(values["capacity"])
            else:
                check.error("capacity", BAD_NUMBER % {"value": values["capacity"]})
        delivery_trainers = []
        for name in values.get("trainers", "").split(","):
            if name.strip() and name.strip().casefold() not in trainers:
                check.error("trainers", UNKNOWN_TRAINER % {"value": name.strip()})
            elif name.strip():
                delivery_trainers.append(trainers[name.strip().casefold()])
        if status == Delivery.Status.CANCELLED and not values.get("cancellation_reason"):
            check.error("cancellation_reason", CANCEL_NEEDS_REASON)
        key = values.get("key", "")
        limit(values, "key", 64)
        if key in deliveries:
            check.error("key", DUPLICATE_KEY % {"row": deliveries[key]["row"]})
        if not check.row_ok:
            refused.add((DELIVERIES, key))
            continue
        deliveries[key] = {
            "row": number,
            "key": key,
            "delivery": Delivery(
                course=course,
                region=region,
                country_id=region.country_id,
                venue=venue,
                language=language,
                capacity=capacity,
                # Completing and cancelling go through the service once the sessions exist.
                status=Delivery.Status.PLANNED if status in CLOSED else status,
                created_by=user,
            ),
            "final_status": status,
            "reason": values.get("cancellation_reason", ""),
            "trainers": delivery_trainers,
            "sessions": [],
            "enrolments": {},
            "marks": [],
            "scores": [],
            "existing": None,
        }

    # Sessions -----------------------------------------------------------------------------------
    for number, values in _check_sheet_header(check, SESSIONS, sheets.get(SESSIONS, [])):
        check.at(SESSIONS, number).required(values, REQUIRED[SESSIONS])
        planned = _delivery_of(check, values, deliveries)
        day = _date(check, values, "date")
        starts, ends = _time(check, values, "starts"), _time(check, values, "ends")
        session_status = check.choice(values, "status", words["session_status"], Session.Status.values)
        limit(values, "title", 200)
        if not check.row_ok or planned is None:
            continue
        region = planned["delivery"].region
        starts_at, ends_at = aware(day, starts, region), aware(day, ends, region)
        if ends_at <= starts_at:
            check.error("ends", ENDS_BEFORE_START)
            continue
        session = Session(
            title=values.get("title", ""),
            starts_at=starts_at,
            ends_at=ends_at,
            status=session_status or Session.Status.SCHEDULED,
        )
        planned["sessions"].append((number, session))
    for planned in deliveries.values():
        planned["sessions"].sort(key=lambda pair: pair[1].starts_at)
        check.at(DELIVERIES, planned["row"])
        if planned["final_status"] == Delivery.Status.COMPLETED:
            # The same rules as courses.services.delivery_set_status, told by row before anything is saved.
            sessions = [session for _n, session in planned["sessions"]]
            if not any(
                rules.is_held(
                    session_status=session.status, starts_at=session.starts_at, delivery_status="", now=now
                )
                for session in sessions
            ):
                check.error("status", COMPLETED_WITHOUT_SESSIONS)
            elif rules.sessions_still_to_end(sessions, now=now):
                check.error("status", COMPLETED_NOT_ENDED)

    # Enrolments ---------------------------------------------------------------------------------
    for number, values in _check_sheet_header(check, ENROLMENTS, sheets.get(ENROLMENTS, [])):
        check.at(ENROLMENTS, number).required(values, REQUIRED[ENROLMENTS])
        planned = _delivery_of(check, values, deliveries)
        person = _person_of(check, values, people)
        audience = check.choice(values, "audience", words["audience"], Audience.values)
        status = check.choice(values, "status", words["enrolment_status"], Enrolment.Status.values)
        if not check.row_ok or planned is None or person is None:
            continue
        if values["participant"] in planned["enrolments"]:
            check.error(
                "participant", DUPLICATE_ROW % {"row": planned["enrolments"][values["participant"]][0]}
            )
            continue
        # Completed / not completed is decided again when the delivery is completed, never copied.
        if status in rules.DECIDED_ENROLMENT_STATUSES or status is None:
            status = Enrolment.Status.ENROLLED
        planned["enrolments"][values["participant"]] = (number, person, audience or person.audience, status)

    # Attendance: one row per person and delivery, a column per session (1, 2, 3 …) -----------------
    for number, values in _check_sheet_header(check, ATTENDANCE, sheets.get(ATTENDANCE, [])):
        check.at(ATTENDANCE, number).required(values, REQUIRED[ATTENDANCE])
        planned = _delivery_of(check, values, deliveries)
        person = _person_of(check, values, people)
        marks = []
        for column, raw in values.items():
            if not column.isdigit() or not raw:
                continue
            status = words["attendance"].get(raw.casefold())
            if status is None:
                check.error(column, UNKNOWN_CHOICE % {"value": raw, "choices": "P, L, E, X, A"})
            else:
                marks.append((column, int(column), status))
        if not check.row_ok or planned is None or person is None:
            continue
        if values["participant"] not in planned["enrolments"]:
            check.error("participant", NOT_ENROLLED)
            continue
        for column, index, status in marks:
            if planned["final_status"] == Delivery.Status.CANCELLED:
                check.error(column, CANCELLED_HAS_NO_MARKS)
            elif not 1 <= index <= len(planned["sessions"]):
                check.error(column, NO_SUCH_SESSION % {"count": len(planned["sessions"])})
            else:
                planned["marks"].append((index - 1, person, status))

    # Scores: the total, or the answers per question (q1, q2 …) scored as a test would be ---------
    instruments, questions_of = {}, {}
    seen_scores: dict[tuple, int] = {}
    for number, values in _check_sheet_header(check, SCORES, sheets.get(SCORES, [])):
        check.at(SCORES, number).required(values, REQUIRED[SCORES])
        planned = _delivery_of(check, values, deliveries)
        person = _person_of(check, values, people)
        phase = check.choice(values, "phase", words["phase"], ["pre", "post"])
        answer_cells = sorted(
            (question_number(column), column, raw)
            for column, raw in values.items()
            if question_number(column) and raw
        )
        if answer_cells and (values.get("score") or values.get("max_score")):
            check.error("score", SCORE_OR_ANSWERS)
        elif not answer_cells:
            check.required(values, {"score", "max_score"})
        score, most = _decimal(check, values, "score"), _decimal(check, values, "max_score")
        if not check.row_ok or planned is None or person is None:
            continue
        if values["participant"] not in planned["enrolments"]:
            check.error("participant", NOT_ENROLLED)
            continue
        if planned["final_status"] == Delivery.Status.CANCELLED:
            check.error("phase", CANCELLED_HAS_NO_MARKS)
            continue
        natural = (values["delivery"], values["participant"], phase)
        if natural in seen_scores:
            check.error("phase", DUPLICATE_ROW % {"row": seen_scores[natural]})
            continue
        seen_scores[natural] = number
        if not answer_cells and not (most > 0 and 0 <= score <= most):
            check.error("score", SCORE_RANGE)
            continue
        delivery = planned["delivery"]
        cache_key = (delivery.course.pk, delivery.language)
        if cache_key not in instruments:
            instruments[cache_key] = instrument_for_delivery(delivery)
        instrument = instruments[cache_key]
        if instrument is None:
            check.error("phase", NO_TEST)
            continue
        answers: list = []
        unmarked = False
        if answer_cells:
            if instrument.pk not in questions_of:
                questions_of[instrument.pk] = questions_with_choices(instrument.pk)
            scored = _scored_answers(check, answer_cells, questions_of[instrument.pk])
            if scored is None:
                continue
            score, most, unmarked, answers = scored
        planned["scores"].append(
            ScoreRow(
                person=person,
                phase=phase,
                score=score,
                max_score=most,
                instrument=instrument,
                needs_marking=unmarked,
                answers=answers,
            )
        )

    _match_existing_deliveries(plan, deliveries)
    for planned in deliveries.values():
        if planned["existing"] is not None:
            plan.matched["deliveries"] += 1
            continue
        plan.deliveries.append(planned)
        plan.created["deliveries"] += 1
        plan.created["sessions"] += len(planned["sessions"])
        plan.created["enrolments"] += len(planned["enrolments"])
        plan.created["marks"] += len(planned["marks"])
        plan.created["scores"] += len(planned["scores"])
        if len(planned["enrolments"]) > planned["delivery"].capacity:
            plan.warnings.append(
                str(
                    OVER_CAPACITY
                    % {
                        "key": planned["key"],
                        "count": len(planned["enrolments"]),
                        "capacity": planned["delivery"].capacity,
                    }
                )
            )
    return plan


CLOSED = (Delivery.Status.COMPLETED, Delivery.Status.CANCELLED)


@dataclass
class ScoreRow:
    """A test to record: its total, or answers scored by assessments' rule before anything is saved."""

    person: Participant
    phase: str
    score: Decimal
    max_score: Decimal
    instrument: object
    needs_marking: bool = False
    # (unsaved Answer, chosen choice ids) per answered question.
    answers: list = field(default_factory=list)


def answer_input(question, raw: str):
    """A cell's answer to one question, read as a trainer's paper grid reads it (assessments.forms),
    plus option numbers (1, 2 or "1, 3") for choice questions and an answer's text for a short
    question (marked by hand later) where the grid takes only points. ValueError says what is wrong."""
    from assessments.forms import PaperGrid, choice_letter
    from assessments.models import CHOICE_TYPES, QuestionType
    from assessments.services import MAX_TEXT, AnswerInput

    text = raw.strip()
    if question.type in CHOICE_TYPES:
        tokens = [token for token in re.split(r"[,;\s]+", text) if token]
        if tokens and all(token.isdigit() for token in tokens):
            count = len(question.choices.all())
            text = "".join(
                choice_letter(int(token) - 1) if 1 <= int(token) <= count else token for token in tokens
            )
    if question.type == QuestionType.SHORT_TEXT:
        try:
            Decimal(text.replace(",", "."))
        except InvalidOperation:
            if len(text) > MAX_TEXT:
                raise ValueError(TOO_LONG % {"limit": MAX_TEXT}) from None
            return AnswerInput(value=text)
    return PaperGrid._parse(question, text.upper())


def _scored_answers(check: _Checker, cells, questions) -> tuple | None:
    """The answers of a row, each cell checked, scored with assessments.services.answers_score:
    (total, maximum, needs marking, [(Answer, chosen ids)]), or None after naming the bad cells."""
    from assessments.models import Answer
    from assessments.services import answers_score

    given = {}
    for number, column, raw in cells:
        if number > len(questions):
            check.error(column, NO_SUCH_QUESTION % {"count": len(questions)})
            continue
        try:
            given[questions[number - 1].pk] = answer_input(questions[number - 1], raw)
        except ValueError as problem:
            check.error(column, str(problem))
    if not check.row_ok:
        return None
    answers = {
        question_id: Answer(question_id=question_id, value=typed.value, manual_score=typed.manual_score)
        for question_id, typed in given.items()
        if not typed.is_blank
    }
    chosen = {question_id: set(typed.choice_ids) for question_id, typed in given.items()}
    total, maximum, unmarked, points = answers_score(questions, answers, chosen)
    for question_id, answer in answers.items():
        answer.score = points.get(question_id)
    return (
        total,
        maximum,
        unmarked,
        [(answer, chosen[question_id]) for question_id, answer in answers.items()],
    )


def _delivery_of(check: _Checker, values: dict, deliveries: dict) -> dict | None:
    key = values.get("delivery", "")
    if key and key not in deliveries and (DELIVERIES, key) not in check.refused:
        # A delivery row with errors is reported there; name the key here only when it is absent.
        check.error("delivery", UNKNOWN_DELIVERY % {"value": key})
    return deliveries.get(key)


def _person_of(check: _Checker, values: dict, people: dict) -> Participant | None:
    key = values.get("participant", "")
    if key and key not in people and (PARTICIPANTS, key) not in check.refused:
        check.error("participant", UNKNOWN_PARTICIPANT % {"value": key})
    return people.get(key)


def _date(check: _Checker, values: dict, column: str) -> date | None:
    raw = values.get(column, "")
    try:
        return date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        check.error(column, BAD_DATE % {"value": raw})
        return None


def _time(check: _Checker, values: dict, column: str) -> time | None:
    raw = values.get(column, "")
    try:
        return time.fromisoformat(raw[-8:].strip() if len(raw) > 8 else raw) if raw else None
    except ValueError:
        check.error(column, BAD_TIME % {"value": raw})
        return None


def _decimal(check: _Checker, values: dict, column: str) -> Decimal:
    raw = values.get(column, "").replace(",", ".")
    try:
        return Decimal(raw) if raw else Decimal(0)
    except InvalidOperation:
        check.error(column, BAD_NUMBER % {"value": values[column]})
        return Decimal(0)


def _match_existing_deliveries(plan: Plan, deliveries: dict) -> None:
    """Mark each planned delivery that already exists: same course, region and first session start."""
    if not deliveries:
        return
    course_ids = {planned["delivery"].course.pk for planned in deliveries.values()}
    region_ids = {planned["delivery"].region.pk for planned in deliveries.values()}
    existing = defaultdict(list)
    candidates = Delivery.objects.filter(course_id__in=course_ids, region_id__in=region_ids).prefetch_related(
        "sessions"
    )
    for delivery in candidates:
        starts = min((session.starts_at for session in delivery.sessions.all()), default=None)
        existing[(delivery.course_id, delivery.region_id, starts)].append(delivery)
    for planned in deliveries.values():
        delivery = planned["delivery"]
        starts = planned["sessions"][0][1].starts_at if planned["sessions"] else None
        found = existing.get((delivery.course.pk, delivery.region.pk, starts))
        if found:
            planned["existing"] = found[0]


# Applying -------------------------------------------------------------------------------------------


def _audit_created(instances: list, actor: User) -> None:
    if instances and audit.is_audited(type(instances[0])):
        audit.record_many(action=audit.AuditAction.CREATE, instances=instances, actor=actor)


@transaction.atomic
def apply_import(*, plan: Plan, user: User, issue_certificates: bool = True) -> Plan:
    """Write a clean plan in one transaction: a fixed number of bulk inserts per sheet.

    Past deliveries are written completed or cancelled as they are: plan_import has checked them
    by the rules courses.services.delivery_set_status applies (a completed delivery has held
    sessions and none still to come; a cancelled one has a reason), and a cancelled delivery's
    sessions are written cancelled, as that service would cancel them. The people of a completed
    delivery are decided by the rule before their enrolments are inserted (their marks and
    post-tests are in by then), by assessments.services.completion_decisions, the reading
    completion_decide takes, with the last session's end as the decision date: each enrolment is
    written once, decided and dated by its delivery, and certificates follow the same dates.
    """
    from assessments.models import Attempt
    from assessments.services import certificates_issue, completion_decisions_of_deliveries
    from attendance.models import AttendanceChange, AttendanceRecord, AttendanceSource

    if not plan.ok:
        raise ValidationError([error.message for error in plan.errors])
    now = timezone.now()
    Organisation.objects.bulk_create(plan.organisations)
    _audit_created(plan.organisations, user)
    # bulk_create skips Participant.save(): plan_import has set name_key already.
    Participant.objects.bulk_create(plan.participants)
    _audit_created(plan.participants, user)

    for planned in plan.deliveries:
        delivery = planned["delivery"]
        delivery.status = planned["final_status"]
        if delivery.status == Delivery.Status.CANCELLED:
            delivery.cancellation_reason = planned["reason"].strip()
            for _number, session in planned["sessions"]:
                session.status = Session.Status.CANCELLED
    deliveries = [planned["delivery"] for planned in plan.deliveries]
    Delivery.objects.bulk_create(deliveries)
    Delivery.trainers.through.objects.bulk_create(
        [
            Delivery.trainers.through(delivery_id=planned["delivery"].pk, user_id=trainer.pk)
            for planned in plan.deliveries
            for trainer in planned["trainers"]
        ]
    )
    sessions = []
    for planned in plan.deliveries:
        for _number, session in planned["sessions"]:
            session.delivery = planned["delivery"]
            sessions.append(session)
    Session.objects.bulk_create(sessions)
    records, changes, attempts, answered = [], [], [], []
    for planned in plan.deliveries:
        for index, person, status in planned["marks"]:
            session = planned["sessions"][index][1]
            common = {"session": session, "participant": person, "source": AttendanceSource.IMPORT}
            records.append(
                AttendanceRecord(**common, status=status, recorded_by=user, recorded_at=session.ends_at)
            )
            changes.append(
                AttendanceChange(**common, old_status="", new_status=status, changed_by=user, changed_at=now)
            )
        last_end = planned["sessions"][-1][1].ends_at if planned["sessions"] else now
        for row in planned["scores"]:
            attempt = Attempt(
                delivery=planned["delivery"],
                participant=row.person,
                instrument=row.instrument,
                phase=row.phase,
                status=Attempt.Status.SUBMITTED,
                source=Attempt.Source.PAPER,
                score=row.score,
                max_score=row.max_score,
                needs_marking=row.needs_marking,
                entered_by=user,
                submitted_at=min(last_end, now),
            )
            attempts.append(attempt)
            answered.extend((attempt, answer, chosen) for answer, chosen in row.answers)
    AttendanceRecord.objects.bulk_create(records)
    AttendanceChange.objects.bulk_create(changes)
    _audit_created(records, user)
    Attempt.objects.bulk_create(attempts)
    _audit_created(attempts, user)
    _create_answers(answered, user)

    enrolments = [
        Enrolment(delivery=planned["delivery"], participant=person, audience=audience, status=status)
        for planned in plan.deliveries
        for _number, person, audience, status in planned["enrolments"].values()
    ]
    completed = Delivery.Status.COMPLETED
    deciding: dict[Delivery, list[int]] = {
        delivery: [] for delivery in deliveries if delivery.status == completed
    }
    for enrolment in enrolments:
        if enrolment.delivery in deciding and enrolment.status in rules.ACTIVE_ENROLMENT_STATUSES:
            deciding[enrolment.delivery].append(enrolment.participant.pk)
    decisions = completion_decisions_of_deliveries(deciding)
    decided_at = {
        planned["delivery"].pk: planned["sessions"][-1][1].ends_at
        for planned in plan.deliveries
        if planned["delivery"].status == completed
    }
    for enrolment in enrolments:
        decision = decisions.get(enrolment.delivery.pk, {}).get(enrolment.participant.pk)
        if decision is not None:
            enrolment.status = (
                Enrolment.Status.COMPLETED if decision.completed else Enrolment.Status.NOT_COMPLETED
            )
            enrolment.decision_basis, enrolment.decided_at = decision.basis, decided_at[enrolment.delivery.pk]
    Enrolment.objects.bulk_create(enrolments)
    _audit_created(enrolments, user)
    if issue_certificates:
        for delivery in deliveries:
            if delivery.status == completed:
                certificates_issue(delivery=delivery, issued_by=user)
    return plan


def _create_answers(answered: list, user: User) -> None:
    """The answers of imported tests and their chosen options: two inserts and an audit insert."""
    from assessments.models import Answer

    answers = []
    for attempt, answer, _chosen in answered:
        answer.attempt = attempt
        answer.marked_by = user if answer.manual_score is not None else None
        answers.append(answer)
    Answer.objects.bulk_create(answers)
    _audit_created(answers, user)
    Answer.choices.through.objects.bulk_create(
        Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
        for _attempt, answer, chosen in answered
        for choice_id in sorted(chosen)
    )


# The whole round ------------------------------------------------------------------------------------


def import_workbook(
    *,
    data: bytes | list[bytes],
    user: User,
    commit: bool,
    now: datetime | None = None,
    issue_certificates: bool = True,
    sheet: str = "",
) -> Plan:
    """Read, check and (when `commit` and clean) apply a workbook, or CSV files of one sheet each
    (`sheet` names a lone file's, else its header row does); a refused file is one error."""
    try:
        sheets = read_uploads(data if isinstance(data, list) else [data], sheet=sheet)
    except WorkbookRefused as refused:
        plan = Plan()
        plan.errors.append(CellError("", 0, "", " ".join(refused.messages)))
        return plan
    plan = plan_import(sheets=sheets, user=user, now=now)
    if commit and plan.ok and not plan.creates_nothing:
        apply_import(plan=plan, user=user, issue_certificates=issue_certificates)
    return plan


# Template -------------------------------------------------------------------------------------------

INSTRUCTION_LINES = [
    gettext_lazy(
        "Fill in the sheets you need and upload the workbook on the import page. Nothing is saved until "
        "you confirm the preview, and nothing at all if any cell is wrong."
    ),
    gettext_lazy(
        "Keys (participants' key, deliveries' key) are your own labels that link the sheets together."
    ),
    gettext_lazy(
        "Code columns accept the code or its name in English, Russian, Tajik or Kyrgyz; the lists sheet "
        "shows the codes."
    ),
    gettext_lazy("Dates are YYYY-MM-DD and times HH:MM, on the clock of the delivery's region."),
    gettext_lazy(
        "Audience codes (police, civil_society, local_authorities, youth, community) are the same for "
        "participants, enrolments and organisation types; organisations may also be school, ministry "
        "or international."
    ),
    gettext_lazy(
        "Attendance: one row per person and delivery, one column per session in date order (1, 2, 3 …), "
        "with P present, L late, E left early, X excused, A absent."
    ),
    gettext_lazy(
        "Test scores: either the total (score and max_score) or the answers per question in the columns "
        "q1, q2, q3 … in the order of the course's test: the option letter or number (B, AC, 2, 1 3), "
        "T or F, 1 to 5 for attitude items, and for a short answer the points given or its text, to be "
        "marked by hand. Answers are scored as the test scores them online."
    ),
    gettext_lazy(
        "Each sheet may also be uploaded as a CSV file, alone or with the other sheets' files (UTF-8 or "
        "Windows-1251; comma, semicolon or tab): the import page has a CSV template for each."
    ),
    gettext_lazy(
        "Past deliveries may have the status completed or cancelled (with a reason); they are completed "
        "after their sessions, marks and scores are saved."
    ),
    gettext_lazy(
        "The same workbook uploaded again creates nothing: people match by name and year of birth or "
        "phone, deliveries by course, region and first session."
    ),
    gettext_lazy("At most %(rows)s rows per sheet."),
]


def _code_lists() -> dict[str, list[str]]:
    from assessments.models import Phase
    from attendance.models import AttendanceStatus

    return {
        "sex": list(Sex.values),
        "audience": list(Audience.values),
        "organisation_type": list(OrganisationType.values),
        "status": list(Delivery.Status.values),
        "language": [code for code, _name in settings.LANGUAGES],
        "phase": list(Phase.values),
        "attendance": [*ATTENDANCE_LETTERS.keys(), *AttendanceStatus.values],
        "region": list(Region.objects.order_by("iso_code").values_list("iso_code", flat=True)),
    }


# Which list each code column draws its dropdown from.
_VALIDATED = {
    ORGANISATIONS: {"type": "organisation_type", "region": "region"},
    PARTICIPANTS: {"sex": "sex", "audience": "audience", "region": "region"},
    DELIVERIES: {"region": "region", "language": "language", "status": "status"},
    ENROLMENTS: {"audience": "audience"},
    SCORES: {"phase": "phase"},
}
SESSION_COLUMNS_IN_TEMPLATE = 6
QUESTION_COLUMNS_IN_TEMPLATE = 10


def template_header(sheet: str) -> list[str]:
    """A sheet's header row in the templates, with room for six sessions and ten questions."""
    header = list(COLUMNS[sheet])
    if sheet == ATTENDANCE:
        header += [str(n) for n in range(1, SESSION_COLUMNS_IN_TEMPLATE + 1)]
    if sheet == SCORES:
        header += [f"q{n}" for n in range(1, QUESTION_COLUMNS_IN_TEMPLATE + 1)]
    return header


def _example_rows(sheet: str) -> list[list]:
    """Rows that show how a sheet is filled in, linked across sheets by the keys P1 and D1."""
    from curriculum.models import CoursePage

    course = CoursePage.objects.live().order_by("pk").values_list("slug", flat=True).first()
    examples = {
        ORGANISATIONS: [["ОВД района Рӯдакӣ", "police", "TJ", "TJ-RA"]],
        PARTICIPANTS: [
            [
                "P1",
                "Қодиров Ҷамшед",
                "Qodirov Jamshed",
                "male",
                1988,
                "police",
                "",
                "участковый инспектор",
                "TJ-RA",
                "992 93 000 00 00",
            ]
        ],
        DELIVERIES: [["D1", course or "course-slug", "TJ-RA", "", "tg", "", 25, "completed", ""]],
        SESSIONS: [
            ["D1", "2025-03-10", "09:00", "13:00", "", "scheduled"],
            ["D1", "2025-03-11", "09:00", "13:00", "", "scheduled"],
        ],
        ENROLMENTS: [["D1", "P1", "police", "enrolled"]],
        ATTENDANCE: [["D1", "P1", "P", "L"]],
        SCORES: [
            ["D1", "P1", "pre", 9, 20],
            ["D1", "P1", "post", "", "", "B", "1 3", "T", "4"],
        ],
    }
    return examples[sheet]


def csv_template(sheet: str) -> bytes:
    """One sheet as a CSV template: the header, example rows, UTF-8 with a BOM so that Excel reads
    Cyrillic (without it, Excel takes the file for the Windows code page)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(template_header(sheet))
    writer.writerows(_example_rows(sheet))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_workbook() -> bytes:
    """The empty workbook in the active language: instructions, one sheet per record kind, and
    dropdowns (data validation) on every code column drawn from a lists sheet."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS
    for line in INSTRUCTION_LINES:
        instructions.append([str(line) % {"rows": MAX_ROWS} if "%(rows)s" in str(line) else str(line)])
    instructions.column_dimensions["A"].width = 120
    lists = _code_lists()
    lists_sheet = book.create_sheet("lists")
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        lists_sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            lists_sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"lists!${letter}$2:${letter}${max(len(values), 1) + 1}"
    for sheet in SHEETS:
        worksheet = book.create_sheet(sheet)
        header = template_header(sheet)
        worksheet.append(header)
        validated = dict(_VALIDATED.get(sheet, {}))
        if sheet == ATTENDANCE:
            validated.update({str(n): "attendance" for n in range(1, SESSION_COLUMNS_IN_TEMPLATE + 1)})
        for column, list_name in validated.items():
            letter = get_column_letter(header.index(column) + 1)
            # A dropdown that still accepts other text: labels in any language are valid too.
            validation = DataValidation(type="list", formula1=f"={ranges[list_name]}", showErrorMessage=False)
            validation.add(f"{letter}2:{letter}1000")
            worksheet.add_data_validation(validation)
    book.move_sheet("lists", offset=len(book.sheetnames))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets (header row first): for exports, tests and the benchmark."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        worksheet = book.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Export ---------------------------------------------------------------------------------------------


def export_sheets(*, deliveries) -> dict[str, list[list]]:
    """Deliveries with everything under them, as the sheets the import reads (a round trip
    reproduces the records and the report figures). Keys are D<id> and P<id>; completion
    decisions and certificates are not exported: the import takes them again by rule."""
    from assessments.models import Attempt
    from attendance.models import AttendanceRecord
    from core.localtime import local

    deliveries = list(
        deliveries.select_related("course", "region", "venue")
        .prefetch_related("trainers", "sessions")
        .order_by("pk")
    )
    delivery_ids = [delivery.pk for delivery in deliveries]
    enrolments = list(
        Enrolment.objects.filter(delivery_id__in=delivery_ids)
        .select_related(
            "participant__organisation__country", "participant__organisation__region", "participant__region"
        )
        .order_by("delivery_id", "pk")
    )
    people = {enrolment.participant_id: enrolment.participant for enrolment in enrolments}
    organisations = {p.organisation_id: p.organisation for p in people.values() if p.organisation_id}
    marks = defaultdict(dict)
    for session_id, participant_id, status in AttendanceRecord.objects.filter(
        session__delivery_id__in=delivery_ids
    ).values_list("session_id", "participant_id", "status"):
        marks[participant_id][session_id] = status
    sheets = {
        ORGANISATIONS: [COLUMNS[ORGANISATIONS]],
        PARTICIPANTS: [COLUMNS[PARTICIPANTS]],
        DELIVERIES: [COLUMNS[DELIVERIES]],
        SESSIONS: [COLUMNS[SESSIONS]],
        ENROLMENTS: [COLUMNS[ENROLMENTS]],
        ATTENDANCE: [
            COLUMNS[ATTENDANCE]
            + [str(n) for n in range(1, max((len(d.sessions.all()) for d in deliveries), default=0) + 1)]
        ],
        SCORES: [COLUMNS[SCORES]],
    }
    for organisation in sorted(organisations.values(), key=lambda o: o.pk):
        sheets[ORGANISATIONS].append(
            [
                organisation.name,
                organisation.type,
                organisation.country.iso_code,
                organisation.region.iso_code if organisation.region else "",
            ]
        )
    for person in sorted(people.values(), key=lambda p: p.pk):
        sheets[PARTICIPANTS].append(
            [
                f"P{person.pk}",
                person.full_name,
                person.latin_name,
                person.sex,
                person.year_of_birth or "",
                person.audience,
                person.organisation.name if person.organisation else "",
                person.position,
                person.region.iso_code,
                person.phone,
            ]
        )
    by_delivery = defaultdict(list)
    for enrolment in enrolments:
        by_delivery[enrolment.delivery_id].append(enrolment)
    for delivery in deliveries:
        key = f"D{delivery.pk}"
        sheets[DELIVERIES].append(
            [
                key,
                delivery.course.slug,
                delivery.region.iso_code,
                delivery.venue.name if delivery.venue else "",
                delivery.language,
                ", ".join(sorted(trainer.username for trainer in delivery.trainers.all())),
                delivery.capacity,
                delivery.status,
                delivery.cancellation_reason,
            ]
        )
        sessions = sorted(delivery.sessions.all(), key=lambda session: session.starts_at)
        for session in sessions:
            starts, ends = local(session.starts_at, delivery.region), local(session.ends_at, delivery.region)
            # A cancelled delivery's sessions are cancelled by cancelling it again on import.
            status = (
                Session.Status.SCHEDULED if delivery.status == Delivery.Status.CANCELLED else session.status
            )
            sheets[SESSIONS].append(
                [
                    key,
                    starts.date().isoformat(),
                    starts.strftime("%H:%M"),
                    ends.strftime("%H:%M"),
                    session.title,
                    status,
                ]
            )
        for enrolment in by_delivery[delivery.pk]:
            person_key = f"P{enrolment.participant_id}"
            sheets[ENROLMENTS].append([key, person_key, enrolment.audience, enrolment.status])
            row = [marks[enrolment.participant_id].get(session.pk, "") for session in sessions]
            # A cancelled delivery has no held sessions: its marks count for nothing and are left out.
            if any(row) and delivery.status != Delivery.Status.CANCELLED:
                sheets[ATTENDANCE].append([key, person_key, *row])
    attempts = Attempt.objects.filter(delivery_id__in=delivery_ids, status=Attempt.Status.SUBMITTED).exclude(
        delivery__status=Delivery.Status.CANCELLED
    )
    for attempt in attempts.order_by("pk"):
        sheets[SCORES].append(
            [
                f"D{attempt.delivery_id}",
                f"P{attempt.participant_id}",
                attempt.phase,
                float(attempt.score),
                float(attempt.max_score),
            ]
        )
    return sheets


def export_workbook(*, deliveries) -> bytes:
    return workbook_bytes(export_sheets(deliveries=deliveries))


# Straight into a delivery ---------------------------------------------------------------------------


def rows_from_paste(text: str) -> list[tuple[int, dict[str, str]]]:
    """Rows pasted from a spreadsheet (tab-separated, header first) in read_workbook's form."""
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) > MAX_ROWS + 1:
        raise WorkbookRefused(TOO_MANY_ROWS % {"max": MAX_ROWS})
    rows, header = [], None
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = [cell.lower().replace(" ", "_") for cell in cells]
            rows.append((1, {key: key for key in header if key}))
            continue
        if any(cells):
            rows.append((number, {key: value for key, value in zip(header, cells, strict=False) if key}))
    return rows


def _with_keys(rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, dict[str, str]]]:
    """A roster needs no keys of its own: the row number serves when the key column is absent."""
    if not rows or "key" in rows[0][1]:
        return rows
    header = {**rows[0][1], "key": "key"}
    return [(1, header), *[(number, {**values, "key": f"row {number}"}) for number, values in rows[1:]]]


def plan_delivery_import(
    *, rows: list[tuple[int, dict[str, str]]], delivery: Delivery, user: User, now: datetime | None = None
) -> Plan:
    """A participants sheet (or pasted rows) to enrol in `delivery`: the same checks and matching as
    the workbook, and everyone named is enrolled unless already on the delivery."""
    plan = plan_import(sheets={PARTICIPANTS: _with_keys(rows)}, user=user, now=now)
    plan.into = delivery
    on_delivery = set(
        delivery.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).values_list(
            "participant_id", flat=True
        )
    )
    for person in plan.people.values():
        if person.pk is not None and person.pk in on_delivery:
            plan.matched["enrolments"] += 1
        else:
            plan.to_enrol.append(person)
    plan.created["enrolments"] = len(plan.to_enrol)
    return plan


@transaction.atomic
def apply_delivery_import(*, plan: Plan, user: User) -> Plan:
    """Create the new people in bulk, then enrol everyone through courses.services (capacity and the
    waitlist apply, as on the enrol page); any refusal saves nothing."""
    from . import services

    apply_import(plan=plan, user=user)
    _created, refused = services.enrolments_create_many(delivery=plan.into, participants=plan.to_enrol)
    if refused:
        raise ValidationError(refused)
    return plan


def import_into_delivery(
    *, delivery: Delivery, user: User, commit: bool, data: bytes = b"", pasted: str = ""
) -> Plan:
    """Read an uploaded workbook's participants sheet, or pasted rows; check, and apply when asked."""
    try:
        if pasted.strip():
            rows = rows_from_paste(pasted.strip())
        else:
            rows = read_upload(data, sheet=PARTICIPANTS).get(PARTICIPANTS, [])
    except WorkbookRefused as refused:
        plan = Plan()
        plan.errors.append(CellError("", 0, "", " ".join(refused.messages)))
        return plan
    plan = plan_delivery_import(rows=rows, delivery=delivery, user=user)
    if commit and plan.ok and not plan.creates_nothing:
        try:
            apply_delivery_import(plan=plan, user=user)
        except ValidationError as refused:
            plan.errors.extend(CellError(PARTICIPANTS, 0, "", message) for message in refused.messages)
    return plan
