"""Certificates issued and pre/post test scores for a report scope, in one aggregate query each.

Kept apart from reports/selectors.py because these figures rest on the
assessments app while the rest rest on scheduling and attendance; both take the
same ReportScope, so every figure counts the same enrolments.
"""

from dataclasses import dataclass

from django.db.models import Avg, Case, Count, Exists, F, FloatField, OuterRef, Q, Subquery, When
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


def _percent(prefix: str = "") -> Cast:
    return Cast(F(f"{prefix}score"), FloatField()) * 100.0 / Cast(F(f"{prefix}max_score"), FloatField())


def test_scores(scope) -> TestScores:
    """Means over the submitted attempts of enrolments in scope, read from the attempts' side.

    One row per attempt (each phase once per enrolment, by constraint); a post-test finds
    its pre-test through the (delivery, participant, phase) unique index.
    """
    in_scope = _scoped_enrolments(scope).filter(
        delivery=OuterRef("delivery"), participant=OuterRef("participant")
    )
    pre_of_post = Attempt.objects.filter(
        delivery=OuterRef("delivery"),
        participant=OuterRef("participant"),
        phase=Phase.PRE,
        status=Attempt.Status.SUBMITTED,
        max_score__gt=0,
    ).annotate(percent=_percent())
    pre_percent = Case(
        When(phase=Phase.POST, then=Subquery(pre_of_post.values("percent")[:1], output_field=FloatField())),
        default=None,
        output_field=FloatField(),
    )
    figures = (
        Attempt.objects.filter(Exists(in_scope), status=Attempt.Status.SUBMITTED, max_score__gt=0)
        .annotate(percent=_percent(), pre_percent=pre_percent)
        .aggregate(
            mean_pre=Avg("percent", filter=Q(phase=Phase.PRE)),
            mean_post=Avg("percent", filter=Q(phase=Phase.POST)),
            mean_gain=Avg(F("percent") - F("pre_percent"), filter=Q(phase=Phase.POST)),
            paired=Count("pk", filter=Q(phase=Phase.POST, pre_percent__isnull=False)),
        )
    )
    return TestScores(**figures)
