"""The attendance rules, each defined once: which marks count as attended, and the course's minimum.

Selectors, services, the completion decision (assessments), reports and PDFs import these.
"""

from django.conf import settings

from accounts import roles

from .models import AttendanceStatus

# Late and left early still count as attended (DESIGN.md).
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


def excused_counts_as_attended() -> bool:
    """Programmes differ; the default (False) counts an excused absence as not attended."""
    return getattr(settings, "HAMKORI_EXCUSED_COUNTS_AS_ATTENDED", False)


def attended_statuses() -> tuple[str, ...]:
    statuses = tuple(ATTENDED_STATUSES)
    if excused_counts_as_attended():
        statuses += (AttendanceStatus.EXCUSED,)
    return statuses


def is_attended(status: str) -> bool:
    return status in attended_statuses()


def meets_attendance(*, attended: int, held: int, minimum_percent: int) -> bool:
    """Attended at least the course's minimum share of the held sessions; nothing held, nothing met.

    Exactly on the minimum meets it (3 of 4 against 75 %), in integers so no rounding decides.
    """
    return held > 0 and attended * 100 >= minimum_percent * held


def attendance_percent(*, attended: int, held: int) -> float | None:
    """The share shown to people; None while nothing has been held."""
    return 100.0 * attended / held if held else None


def runs_sessions(user) -> bool:
    """Who Today, the roster API and offline marking are for: trainers and those who plan
    deliveries (staff, coordinators). Which sessions each may mark is the roster's scope
    (courses.rules.deliveries_managed_by)."""
    return roles.is_trainer(user) or roles.can_plan_deliveries(user)
