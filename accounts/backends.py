from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from .models import PersonalCode
from .personal_codes import user_for_code


class OneStatementUserRead:
    """`get_user` for both our backends: what every signed-in request reads first."""

    def get_user(self, user_id):
        """The signed-in user of every request, with their personal code's digest, in one statement.

        Written out rather than through the ORM (as accounts.sessions reads the session): compiling
        the ORM's `get` costs ~0.35 ms of Python on every signed-in request. The digest rides along as
        `personal_code_digest` (None without a code) for accounts.middleware, which signs a code
        session out once its code is replaced and would otherwise ask for it in a query of its own.
        """
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        quote = connection.ops.quote_name
        # The columns named, not `u.*`: on PostgreSQL the statement is prepared on each connection
        # (settings: HAMKORI_PG_PREPARED_STATEMENTS), and a prepared `*` whose table gained a
        # column fails ("cached plan must not change result type") until the connection closes.
        columns = ", ".join(f"u.{quote(field.column)}" for field in User._meta.concrete_fields)
        statement = (
            f"SELECT {columns}, code.digest AS personal_code_digest FROM {quote(User._meta.db_table)} u"
            f" LEFT JOIN {quote(PersonalCode._meta.db_table)} code ON code.user_id = u.{quote(User._meta.pk.column)}"
            f" WHERE u.{quote(User._meta.pk.column)} = %s"
        )
        user = next(iter(User._default_manager.raw(statement, [pk])), None)
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordBackend(OneStatementUserRead, ModelBackend):
    """Usernames and passwords, checked exactly as Django's ModelBackend checks them.

    Only the user a session names is read differently (`OneStatementUserRead`). Sessions signed in
    before this backend replaced ModelBackend in AUTHENTICATION_BACKENDS name ModelBackend, so they
    ended once, at that deploy: keeping both would check every wrong password twice.
    """


class PersonalCodeBackend(OneStatementUserRead, ModelBackend):
    """Authenticates a trainee by personal code alone; usernames and passwords go to PasswordBackend."""

    def authenticate(self, request, personal_code: str | None = None, **kwargs):
        if personal_code is None:
            return None
        user = user_for_code(personal_code)
        if user is not None and self.user_can_authenticate(user):
            return user
        return None
