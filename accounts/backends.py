from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from .models import PersonalCode
from .personal_codes import user_for_code
from .signed_in import user_columns_sql, user_read_with_session


class OneStatementUserRead:
    """`get_user` for both our backends: what every signed-in request reads first."""

    def get_user(self, user_id):
        """The signed-in user of every request, with their personal code's digest, in one statement.

        Usually no statement of its own: the session's read brought the user along
        (accounts.sessions.SessionStore, accounts.middleware.AuthenticationMiddleware). Otherwise
        it is written out rather than through the ORM (as accounts.sessions reads the session):
        compiling the ORM's `get` costs ~0.35 ms of Python on every signed-in request. The digest
        rides along as `personal_code_digest` (None without a code) for
        accounts.middleware.PersonalCodeSessionMiddleware, which signs a code session out once its
        code is replaced and would otherwise ask for it in a query of its own.
        """
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = user_read_with_session(pk)
        if user is None:
            quote = connection.ops.quote_name
            statement = (
                f"SELECT {user_columns_sql('u')}, code.digest AS personal_code_digest"
                f" FROM {quote(User._meta.db_table)} u LEFT JOIN {quote(PersonalCode._meta.db_table)} code"
                f" ON code.user_id = u.{quote(User._meta.pk.column)} WHERE u.{quote(User._meta.pk.column)} = %s"
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
