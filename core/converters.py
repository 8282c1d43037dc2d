"""URL converters, registered once (config/urls.py imports this module before any URL pattern).

Django's `<int:…>` takes any run of digits, so `/results/courses/99999999999999999999/` passed
an id beyond the database's 64-bit range to the ORM, which answered 500 (SQLite: OverflowError;
PostgreSQL: "out of range for type bigint"). `<id:…>` matches the same digits but refuses a
number no row can have, so such an address answers 404 like any other missing object.
"""

from django.urls import register_converter

# The largest value of a signed 64-bit integer: PostgreSQL's bigint and SQLite's INTEGER.
MAX_DATABASE_ID = 2**63 - 1


def database_id(value: str | None) -> int | None:
    """An id from a query string (`?participant=…`), or None when it is not one a row can have."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_DATABASE_ID else None


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError("beyond the database's integer range")  # Django: no match, 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")
