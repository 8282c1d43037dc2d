"""Participant import from CSV or XLSX: all-or-nothing, every error named by row and column.

Columns (header row, any order; see docs/scheduling.md): full_name, latin_name, sex,
year_of_birth, audience, organisation, position, region, phone. Only full_name, sex,
audience and region are required.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.enums import Audience, Sex

from .models import Organisation, Participant, Region, normalise_name
from .workbook import CLASH_OUTSIDE_SCOPE
from .workbook import COLUMNS as WORKBOOK_COLUMNS
from .workbook import PARTICIPANTS as PARTICIPANTS_SHEET

# The participants sheet of the workbook (courses.workbook), without its key column.
COLUMNS = [column for column in WORKBOOK_COLUMNS[PARTICIPANTS_SHEET] if column != "key"]
REQUIRED = {"full_name", "sex", "audience", "region"}
MAX_ROWS = 5000

UNREADABLE_FILE = gettext_lazy("The file could not be read as CSV or XLSX.")
MISSING_COLUMNS = gettext_lazy("The header row lacks the column(s): %(columns)s.")
REQUIRED_VALUE = gettext_lazy("This value is required.")
UNKNOWN_CHOICE = gettext_lazy("“%(value)s” is not one of: %(choices)s.")
BAD_YEAR = gettext_lazy("“%(value)s” is not a year between 1920 and 2030.")
UNKNOWN_REGION = gettext_lazy("No region has the ISO code “%(value)s”.")
REGION_NOT_YOURS = gettext_lazy("You cannot add participants in region %(value)s.")
UNKNOWN_ORGANISATION = gettext_lazy("No organisation called “%(value)s” in %(country)s.")
DUPLICATE_IN_FILE = gettext_lazy("Same person as row %(row)s.")
TOO_MANY_ROWS = gettext_lazy("A file may hold at most %(max)s rows.")

SEX_ALIASES = {"f": Sex.FEMALE, "ж": Sex.FEMALE, "з": Sex.FEMALE, "m": Sex.MALE, "м": Sex.MALE, "э": Sex.MALE}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: list[Participant] = field(default_factory=list)
    # (row number, full name, the existing participant it matches) — flagged for merging, not created.
    duplicates: list[tuple[int, str, Participant]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(uploaded) -> list[dict[str, str]]:
    """The rows of an uploaded .csv or .xlsx as dicts keyed by lower-cased header."""
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        else:
            text = data.decode("utf-8-sig")
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
            table = list(csv.reader(io.StringIO(text), dialect))
    except Exception as error:  # openpyxl and csv raise many kinds; all mean the same to the user
        raise ValidationError(UNREADABLE_FILE) from error
    if not table:
        raise ValidationError(UNREADABLE_FILE)
    header = [str(cell).strip().lower().replace(" ", "_") for cell in table[0]]
    missing = [column for column in sorted(REQUIRED) if column not in header]
    if missing:
        raise ValidationError(MISSING_COLUMNS % {"columns": ", ".join(missing)})
    rows = []
    for values in table[1:]:
        if not any(str(value).strip() for value in values):
            continue
        rows.append({key: str(value).strip() for key, value in zip(header, values, strict=False)})
    if len(rows) > MAX_ROWS:
        raise ValidationError(TOO_MANY_ROWS % {"max": MAX_ROWS})
    return rows


def _choice(value: str, choices, aliases: dict | None = None) -> str | None:
    lowered = value.strip().lower()
    for code, label in choices.choices:
        if lowered in (code, str(label).lower()):
            return code
    if aliases and lowered[:1] in aliases and len(lowered) <= 7:
        return aliases[lowered[:1]]
    return None


def participants_import(
    *, rows: list[dict[str, str]], allowed_region_ids: set[int] | None = None, commit: bool = True
) -> ImportResult:
    """Check every row, then create all new participants or none. Row numbers count the header as 1."""
    result = ImportResult()
    regions = {region.iso_code: region for region in Region.objects.select_related("country")}
    organisations = {
        (normalise_name(org.name), org.country_id): org
        for org in Organisation.objects.select_related("country")
    }
    candidates: list[tuple[int, Participant]] = []
    for number, row in enumerate(rows, start=2):
        errors_before = len(result.errors)

        def error(column, message, number=number):
            result.errors.append(RowError(number, column, str(message)))

        for column in REQUIRED:
            if not row.get(column, "").strip():
                error(column, REQUIRED_VALUE)
        sex = _choice(row.get("sex", ""), Sex, SEX_ALIASES) if row.get("sex") else None
        if row.get("sex") and sex is None:
            error("sex", UNKNOWN_CHOICE % {"value": row["sex"], "choices": ", ".join(Sex.values)})
        audience = _choice(row.get("audience", ""), Audience) if row.get("audience") else None
        if row.get("audience") and audience is None:
            error(
                "audience", UNKNOWN_CHOICE % {"value": row["audience"], "choices": ", ".join(Audience.values)}
            )
        year = None
        if row.get("year_of_birth"):
            raw = row["year_of_birth"].removesuffix(".0")
            if raw.isdigit() and 1920 <= int(raw) <= 2030:
                year = int(raw)
            else:
                error("year_of_birth", BAD_YEAR % {"value": row["year_of_birth"]})
        region = None
        if row.get("region"):
            region = regions.get(row["region"].strip().upper())
            if region is None:
                error("region", UNKNOWN_REGION % {"value": row["region"]})
            elif allowed_region_ids is not None and region.pk not in allowed_region_ids:
                error("region", REGION_NOT_YOURS % {"value": region.iso_code})
                region = None
        organisation = None
        if row.get("organisation") and region is not None:
            organisation = organisations.get((normalise_name(row["organisation"]), region.country_id))
            if organisation is None:
                error(
                    "organisation",
                    UNKNOWN_ORGANISATION
                    % {"value": row["organisation"], "country": region.country.display_name},
                )
        for column, limit in (("full_name", 200), ("latin_name", 200), ("position", 200), ("phone", 32)):
            if len(row.get(column, "")) > limit:
                error(column, _("At most %(limit)s characters.") % {"limit": limit})
        if len(result.errors) > errors_before:
            continue
        candidates.append(
            (
                number,
                Participant(
                    full_name=row["full_name"],
                    latin_name=row.get("latin_name", ""),
                    sex=sex,
                    year_of_birth=year,
                    audience=audience,
                    organisation=organisation,
                    position=row.get("position", ""),
                    region=region,
                    phone=row.get("phone", ""),
                ),
            )
        )

    keys = {normalise_name(p.full_name) for _number, p in candidates}
    existing = {
        (p.name_key, p.year_of_birth, p.organisation_id): p
        for p in Participant.objects.filter(name_key__in=keys).order_by("pk")
    }
    seen_in_file: dict[tuple, int] = {}
    for number, participant in candidates:
        key = (normalise_name(participant.full_name), participant.year_of_birth, participant.organisation_id)
        if key in existing:
            match = existing[key]
            if allowed_region_ids is not None and match.region_id not in allowed_region_ids:
                # A record the importer may not see is reported without its name or id.
                result.errors.append(RowError(number, "full_name", str(CLASH_OUTSIDE_SCOPE)))
                continue
            result.duplicates.append((number, participant.full_name, match))
            continue
        if key in seen_in_file:
            result.errors.append(
                RowError(number, "full_name", str(DUPLICATE_IN_FILE % {"row": seen_in_file[key]}))
            )
            continue
        seen_in_file[key] = number
        try:
            participant.full_clean()
        except ValidationError as invalid:
            for column, messages in invalid.message_dict.items():
                for message in messages:
                    result.errors.append(RowError(number, column, message))
            continue
        result.created.append(participant)

    if result.errors or not commit:
        result.created = [] if result.errors else result.created
        return result
    with transaction.atomic():
        for participant in result.created:
            participant.save()
    return result
