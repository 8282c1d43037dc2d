"""Sign-in without e-mail: personal codes for trainees, and throttling of every code entry point."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalCode(models.Model):
    """A trainee's sign-in code. Only a keyed digest is stored; the code itself is shown once, on a slip."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_code"
    )
    digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("personal code")
        verbose_name_plural = _("personal codes")

    def __str__(self) -> str:
        return f"personal code of user {self.user_id}"


class ThrottleCount(models.Model):
    """Wrong guesses counted against one key (an address, an account) in one scope, in one window.

    One row per (scope, key), changed by conditional UPDATEs so that parallel requests cannot
    both take the last allowed guess (accounts.throttle).
    """

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=200)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_count_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.failures} since {self.window_started_at:%Y-%m-%d %H:%M}"


class SignInSession(AbstractBaseSession):
    """Django's database session, with the id of the user it signs in as a column of its own.

    The session's read brings its user along in the same statement (accounts.sessions), and erasure
    finds a person's sessions by the column instead of decoding every session (privacy.services).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
