"""The seam between reports and the assessments app: certificates issued and pre/post test scores.

These figures rest on assessments.Attempt and assessments.Certificate. Until
those models exist every function returns None, which the dashboard and the
exports show as "—" with "no test data". Once they exist, fill in the bodies
with one aggregate query each over the scope's enrolments, e.g.

    Certificate.objects.filter(delivery__in=scoped_deliveries(scope).values("pk"), ...).count()
    Attempt.objects.filter(...).aggregate(pre=Avg(..., filter=Q(phase="pre")), post=Avg(..., filter=Q(phase="post")))

and keep the signatures: the callers need no change.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class TestScores:
    """Mean scores in percent; gain is the mean of post minus pre for people with both attempts."""

    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None


def assessment_models_exist(*names: str) -> bool:
    try:
        config = apps.get_app_config("assessments")
    except LookupError:
        return False
    present = {model.__name__ for model in config.get_models()}
    return all(name in present for name in names)


def certificates_issued(scope) -> int | None:
    if not assessment_models_exist("Certificate"):
        return None
    return None  # Filled in by the lead when assessments.Certificate is merged.


def test_scores(scope) -> TestScores | None:
    if not assessment_models_exist("Attempt"):
        return None
    return None  # Filled in by the lead when assessments.Attempt is merged.
