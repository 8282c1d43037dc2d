"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read in plain SQL.

Every signed-in request reads its session first. Through the ORM that read costs ~0.4 ms of Python
to compile the query against ~0.03 ms for the database to answer it (issue 18, bench/README.md); the
statement written out costs only the latter. Everything else (writing, cycling the key on sign-in,
expiry, `clearsessions`, erasure's sign-out everywhere) is Django's own, on the same table.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        # The expiry is compared as the ORM would send it (a naive UTC string on SQLite).
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's: a key with no live session is forgotten, so a new one is issued on save.
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
