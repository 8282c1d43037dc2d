"""Throttle guessing: after N failures for a key within a window, refuse until the window passes.

Used for trainees' personal codes (per IP) and session check-in codes (per user,
attendance.services). Stored in the database so every server process sees the same count.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import FailedAttempt


@dataclass(frozen=True)
class ThrottleState:
    locked: bool
    retry_after: datetime | None


def _limits() -> tuple[int, timedelta]:
    failures = getattr(settings, "HAMKORI_THROTTLE_FAILURES", 5)
    minutes = getattr(settings, "HAMKORI_THROTTLE_MINUTES", 30)
    return failures, timedelta(minutes=minutes)


def throttle_state(
    *, scope: str, key: str, now: datetime | None = None, limits: tuple[int, timedelta] | None = None
) -> ThrottleState:
    """Locked when `key` failed N times within the window before `now`; `limits` (N, window)
    overrides the HAMKORI_THROTTLE_* settings for a scope with its own."""
    failures, window = limits or _limits()
    now = now or timezone.now()
    recent = list(
        FailedAttempt.objects.filter(scope=scope, key=key, attempted_at__gt=now - window)
        .order_by("-attempted_at")
        .values_list("attempted_at", flat=True)[:failures]
    )
    if len(recent) < failures:
        return ThrottleState(locked=False, retry_after=None)
    # Locked until the oldest of the last N failures leaves the window.
    return ThrottleState(locked=True, retry_after=recent[-1] + window)


def throttle_record_failure(
    *, scope: str, key: str, now: datetime | None = None, limits: tuple[int, timedelta] | None = None
) -> ThrottleState:
    now = now or timezone.now()
    FailedAttempt.objects.create(scope=scope, key=key, attempted_at=now)
    return throttle_state(scope=scope, key=key, now=now, limits=limits)


def throttle_reset(*, scope: str, key: str) -> None:
    FailedAttempt.objects.filter(scope=scope, key=key).delete()
