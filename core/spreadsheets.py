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
