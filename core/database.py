"""How statements reach the database, where one kind of work needs it otherwise."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def statements_planned_each_time() -> Iterator[None]:
    """Inside: statements sent with their values inlined and planned for those values, never prepared.

    On PostgreSQL, statements are otherwise sent with bound parameters and prepared on their
    connection after a few runs (HAMKORI_PG_PREPARED_STATEMENTS), which spares a page's short
    queries their planning. A prepared statement may then run on a generic plan, made for any
    values: for the reports' aggregates over the whole fact table that is the wrong trade (ten
    years' data: the first dashboard after a cancelled session took 3.9 s with them prepared,
    1.2 s planned for its values). Reports therefore run inside this.
    """
    if connection.vendor != "postgresql" or not settings.HAMKORI_PG_PREPARED_STATEMENTS:
        yield
        return
    # Django's client-side cursor (the default without server_side_binding); psycopg never
    # prepares through it. Imported here: a SQLite deployment never loads the PostgreSQL backend.
    from django.db.backends.postgresql.base import Cursor as ClientSideCursor

    connection.ensure_connection()
    psycopg_connection = connection.connection
    previous = psycopg_connection.cursor_factory
    psycopg_connection.cursor_factory = ClientSideCursor
    try:
        yield
    finally:
        psycopg_connection.cursor_factory = previous
