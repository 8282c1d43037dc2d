"""The assessment and completion rules, each defined once: test windows, score percentages, the pass
mark, and the completion decision that certificates, results and reports read.

Where a rule is needed in a query too, its expression sits beside the function and
assessments/tests/test_rules.py feeds both the same table of cases.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from attendance.rules import meets_attendance
from core.localtime import local_date
from courses.rules import planned_session_q

# Test window ----------------------------------------------------------------------------------------


def window_is_open(*, opened_at: datetime | None, closed_at: datetime | None) -> bool:
    """Opened by a trainer and not closed since."""
    return opened_at is not None and closed_at is None


def window_open_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_at__isnull": False, f"{prefix}closed_at__isnull": True})


# Scores ---------------------------------------------------------------------------------------------


def score_percent(*, score: Decimal | float, max_score: Decimal | float) -> float | None:
    """A score as a percentage of the most it could earn; None when the test is worth nothing."""
    if not max_score:
        return None
    return float(score) * 100 / float(max_score)


def score_percent_expression(score: str = "score", max_score: str = "max_score") -> Case:
    """score_percent in SQL (a float, NULL when the maximum is 0)."""
    return Case(
        When(
            **{f"{max_score}__gt": 0},
            then=Cast(F(score), FloatField()) * Value(100.0) / Cast(F(max_score), FloatField()),
        ),
        default=Value(None),
        output_field=FloatField(),
    )


def passes(*, percent: float | None, pass_mark: int) -> bool:
    """At or above the course's pass mark: exactly on the mark passes."""
    return percent is not None and percent >= pass_mark


# Completion -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A completion decision and the figures it rests on (stored as Enrolment.decision_basis)."""

    completed: bool
    basis: dict


def decide_completion(
    *,
    attended: int,
    held: int,
    minimum_percent: int,
    requires_post_test: bool,
    post_percent: float | None,
    pass_mark: int,
) -> Decision:
    """Completed when the attendance rule is met over the delivery's held sessions and, when the
    course has a test, the post-test score reaches the pass mark.

    Taken when the delivery is completed, so `held` is every session it had: the same person
    who attended 1 of 1 held so far is not completed while 3 more are planned.
    """
    attendance_met = meets_attendance(attended=attended, held=held, minimum_percent=minimum_percent)
    post_met = not requires_post_test or passes(percent=post_percent, pass_mark=pass_mark)
    return Decision(
        completed=attendance_met and post_met,
        basis={
            "attended": attended,
            "held": held,
            "minimum_percent": minimum_percent,
            "attendance_met": attendance_met,
            "requires_post_test": requires_post_test,
            "post_percent": None if post_percent is None else round(post_percent, 2),
            "pass_mark": pass_mark,
            "post_met": post_met,
        },
    )


# Certificates ---------------------------------------------------------------------------------------


def certificate_date(*, delivery, now: datetime | None = None) -> date:
    """The date a certificate states: the delivery's last day on its region's clock, however long
    after it is issued; today (there) for a manual certificate of a delivery not ended yet."""
    now = now or timezone.now()
    last = (
        delivery.sessions.filter(planned_session_q())
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    return local_date(last if last is not None and last <= now else now, delivery.region)
