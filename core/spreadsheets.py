"""Spreadsheet safety shared by every CSV and XLSX export.

A cell whose text starts like a formula (=, +, -, @, or a tab or carriage
return that some programs strip first) could run when a donor opens the file;
it gets a leading apostrophe instead (OWASP, CSV injection).
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, made safe to open in a spreadsheet; numbers and dates pass through unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Excel refuses a sheet name over 31 characters or with any of these; openpyxl only warns.
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def fit_name(text: str, limit: int, *, ellipsis: str = "…") -> str:
    """`text` shortened to at most `limit` characters, cut between words, never inside one.

    A Tajik sheet title cut at a fixed length read "…аз рӯи моҳҳ"; a cut on the last space that
    fits keeps whole words and marks the cut with an ellipsis. A first word longer than the limit
    is the only case that is cut inside (nothing else would fit).
    """
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    cut = text[: room + 1].rfind(" ")
    head = text[:cut] if cut > 0 else text[:room]
    return head.rstrip(" ,;:-–—") + ellipsis


def sheet_title(text: str) -> str:
    """A valid, whole-word XLSX sheet name for `text` (31 characters, none of []:*?/\\)."""
    return fit_name(str(text).translate(SHEET_NAME_FORBIDDEN), SHEET_NAME_LIMIT) or "-"


# Number formats are stored in the file in Excel's neutral notation; Excel and LibreOffice show
# them with the reader's own decimal comma or point and digit grouping, so a Russian Excel shows
# 29,2 and an English one 29.2 from the same file. Values stay numbers, never formatted text.
DECIMAL_FORMAT = "#,##0.0"
INTEGER_FORMAT = "#,##0"


def number_format_for(value) -> str:
    """The cell format for `value`: one decimal for a float (hours, mean scores), grouped integers,
    and Excel's default for anything else."""
    if isinstance(value, bool):
        return "General"
    if isinstance(value, float):
        return DECIMAL_FORMAT
    if isinstance(value, int):
        return INTEGER_FORMAT
    return "General"


def guard_wagtail_exports() -> None:
    """Make Wagtail's own admin exports (site history, reports, snippet and form listings with
    ?export=csv or xlsx) neutralise formula cells like ours do.

    They all go through SpreadsheetExportMixin.preprocess_field_value, which writes a page title
    or a log message such as "=HYPERLINK(…)" into the cell as it is (12 such cells were seen in
    the site history export). Wrapping that one method covers every Wagtail export; called once
    at start-up from core/wagtail_hooks.py, and safe to call again.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(original(self, field, value, export_format))

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
