"""Sign-in without e-mail: personal codes for trainees, and throttling of every code entry point."""

from django.conf import settings
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


class FailedAttempt(models.Model):
    """One wrong guess at a code or password, kept to throttle guessing across processes."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=200)
    attempted_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "attempted_at"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}@{self.attempted_at:%Y-%m-%d %H:%M}"
