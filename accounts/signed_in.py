"""The signed-in user, read with the session in one statement (issue 18).

Every signed-in request reads its session, then its user, then the user's roles: three round trips
to the database before the page does anything, ~0.3–0.8 ms each on PostgreSQL on our machine. The
session's table has the user's id in a column of its own (accounts.models.SignInSession), so its
read joins the user, their personal code's digest and their roles (accounts.sessions.SessionStore).

Django asks the authentication backend for the user by id, without the request; the backend finds
the session being read through `reading_session`, which our AuthenticationMiddleware sets only
for as long as Django's `auth.get_user` runs. A user is taken from the session only when it is the
one Django asked for; Django then checks the session's hash against it, as always.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import connection

_session_being_read = ContextVar("session_being_read", default=None)

# Other one-row reads that most requests make anyway, answered by the session's statement as well:
# a round trip fewer each. Apps register them at start-up (AppConfig.ready); the curriculum
# registers the content version's token (curriculum.content_cache).
read_along: list[tuple[str, Callable[[object], None]]] = []


def read_with_session(scalar_subquery_sql: str, receive: Callable[[object], None]) -> None:
    """Have every session's read also select `(scalar_subquery_sql)` and hand its value to `receive`
    (called when the request first reads its session, which the middleware does before any view;
    not called when the session is missing or has expired)."""
    read_along.append((scalar_subquery_sql, receive))


def user_columns_sql(alias: str) -> str:
    """The user's columns, each named (`alias.id, alias.password, ...`), in the model's field order.

    Named rather than `alias.*`: on PostgreSQL the statement is prepared on each connection
    (settings: HAMKORI_PG_PREPARED_STATEMENTS), and a prepared `*` whose table gained a column
    fails ("cached plan must not change result type") until the connection closes.
    """
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in get_user_model()._meta.concrete_fields)


def user_from_columns(using: str, values):
    """A user built from the values of user_columns_sql's columns, as the ORM would build it."""
    User = get_user_model()
    return User.from_db(using, [field.attname for field in User._meta.concrete_fields], list(values))


@contextmanager
def reading_session(session):
    """While Django's `auth.get_user` runs: the backend may take the user `session` read."""
    token = _session_being_read.set(session)
    try:
        yield
    finally:
        _session_being_read.reset(token)


def user_read_with_session(pk):
    """The user the session being read brought along, if it is user `pk`; else None."""
    session = _session_being_read.get()
    user = getattr(session, "signed_in_user", None)
    return user if user is not None and user.pk == pk else None
