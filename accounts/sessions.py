"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read in plain SQL,
with the signed-in user's id in a column of its own so that the user comes with the session.

Every signed-in request reads its session first. Through the ORM that read costs ~0.4 ms of Python
to compile the query against ~0.03 ms for the database to answer it (issue 18, bench/README.md); the
statement written out costs only the latter. The same statement brings the signed-in user, their
personal code's digest and their roles (accounts.signed_in): one round trip where there were three.
Everything else (writing, cycling the key on sign-in, expiry, `clearsessions`) is Django's own.
"""

from functools import cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from .roles import remember_roles, roles_columns_sql
from .signed_in import read_along, user_columns_sql, user_from_columns


class SessionStore(DatabaseSessionStore):
    # The user read with this session (accounts.signed_in), once it has been read; None without one.
    signed_in_user = None

    @classmethod
    def get_model_class(cls):
        from .models import SignInSession

        return SignInSession

    def create_model_instance(self, data):
        """The row to save, with the id of the user the data names (None when nobody is signed in)."""
        session = super().create_model_instance(data)
        session.user_id = _user_id_in(data)
        return session

    def _get_session_from_db(self):
        connection = connections[router.db_for_read(self.model)]
        along = read_along[:]
        statement, roles_params, user_column_count = _session_statement(connection.alias, len(along))
        # The expiry is compared as the ORM would send it (a naive UTC string on SQLite).
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(statement, [*roles_params, self.session_key, now])
            row = cursor.fetchone()
        self.signed_in_user = None
        if row is None:
            # As Django's: a key with no live session is forgotten, so a new one is issued on save.
            self._session_key = None
            return None
        user_values = row[1 : 1 + user_column_count]
        if user_values[0] is not None:
            user = user_from_columns(connection.alias, user_values)
            user.personal_code_digest = row[1 + user_column_count]
            if roles_params:
                remember_roles(user, *row[2 + user_column_count : 4 + user_column_count])
            self.signed_in_user = user
        for (_sql, receive), value in zip(along, row[len(row) - len(along) :], strict=True):
            receive(value)
        return self.model(session_key=self.session_key, session_data=row[0])


def _user_id_in(data: dict):
    try:
        return get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except (KeyError, ValidationError):
        return None


@cache
def _session_statement(alias: str, read_along_count: int) -> tuple[str, list, int]:
    """(The session's statement on database `alias`, the roles' parameters, how many user columns).

    Kept per number of reads along (accounts.signed_in.read_with_session), so that one registered
    after a first request is still read."""
    from .models import PersonalCode, SignInSession

    connection = connections[alias]
    quote = connection.ops.quote_name
    User = get_user_model()
    user_pk = f"u.{quote(User._meta.pk.column)}"
    roles = roles_columns_sql(connection.vendor, user_pk)
    roles_sql, roles_params = (f", {roles[0]}", roles[1]) if roles else ("", [])
    along_sql = "".join(f", ({sql})" for sql, _receive in read_along[:read_along_count])
    statement = (
        f"SELECT s.{quote('session_data')}, {user_columns_sql('u')}, code.{quote('digest')}{roles_sql}{along_sql}"
        f" FROM {quote(SignInSession._meta.db_table)} s"
        f" LEFT JOIN {quote(User._meta.db_table)} u"
        f" ON {user_pk} = s.{quote(SignInSession._meta.get_field('user').column)}"
        f" LEFT JOIN {quote(PersonalCode._meta.db_table)} code ON code.{quote('user_id')} = {user_pk}"
        f" WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
    )
    return statement, roles_params, len(User._meta.concrete_fields)
