"""Certificates issued and pre/post test scores for a report scope, in one aggregate query each.

Kept apart from reports/selectors.py because these figures rest on the
assessments app while the rest rest on scheduling and attendance; both take the
same ReportScope, so every figure counts the same enrolments.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from assessments.models import Attempt, Certificate, Phase


@dataclass(frozen=True)
class TestScores:
    """Mean scores in percent; gain is the mean of post minus pre over people with both attempts."""

    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    paired: int


def _scoped_enrolments(scope):
    # Imported here: reports.selectors imports this module for its dashboard figures.
    from .selectors import scoped_enrolments

    return scoped_enrolments(scope)


def certificates_issued(scope) -> int:
    """Valid (not revoked) certificates of the enrolments in scope: one per person and delivery."""
    in_scope = _scoped_enrolments(scope).filter(
        delivery=OuterRef("delivery"), participant=OuterRef("participant")
    )
    return Certificate.objects.filter(Exists(in_scope), revoked_at__isnull=True).count()


def _percent_of(phase: str) -> Subquery:
    """The outer enrolment's submitted attempt in `phase`, as a percentage of its maximum score."""
    attempts = Attempt.objects.filter(
        delivery=OuterRef("delivery"),
        participant=OuterRef("participant"),
        phase=phase,
        status=Attempt.Status.SUBMITTED,
        max_score__gt=0,
    ).annotate(percent=Cast(F("score"), FloatField()) * 100.0 / Cast(F("max_score"), FloatField()))
    return Subquery(attempts.values("percent")[:1], output_field=FloatField())


def test_scores(scope) -> TestScores:
    figures = (
        _scoped_enrolments(scope)
        .annotate(pre_percent=_percent_of(Phase.PRE), post_percent=_percent_of(Phase.POST))
        .aggregate(
            mean_pre=Avg("pre_percent"),
            mean_post=Avg("post_percent"),
            mean_gain=Avg(F("post_percent") - F("pre_percent")),
            paired=Count("pk", filter=Q(pre_percent__isnull=False, post_percent__isnull=False)),
        )
    )
    return TestScores(**figures)
