"""Report tables: per-enrolment attendance outcomes, derived from attendance and refreshed by reports code.

These rows are a cache, never the truth: `reports.outcomes.outcomes_refresh` rebuilds
them in one INSERT … SELECT from attendance records and sessions, and the dashboard
refreshes them on demand when the data they rest on has changed (a fingerprint of
sessions, enrolments, participants and attendance marks, kept in `ReportRefresh`).
"""

from django.db import models

from courses.models import Delivery, Enrolment


class EnrolmentOutcome(models.Model):
    """What one enrolment's participant attended in its delivery, at sessions not cancelled.

    Counted over every non-cancelled session, whatever its start; "held" (started) is
    decided when a report is asked for, from the first and last attended starts, so a
    stored row does not go stale as time passes.
    """

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, primary_key=True, related_name="report_outcome"
    )
    attended_sessions = models.PositiveIntegerField()
    attended_duration = models.DurationField()
    first_attended_at = models.DateTimeField()
    last_attended_at = models.DateTimeField()
    # This delivery is where the participant first attended anything in the programme.
    is_first_delivery = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.attended_sessions}"


class DeliveryHeld(models.Model):
    """How many of a delivery's sessions have been held (started, not cancelled); no row means none.

    Rebuilt (5,000 rows, milliseconds) whenever the number of sessions held programme-wide
    changes, which is when a session starts or sessions are edited.
    """

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, primary_key=True, related_name="report_held"
    )
    held_sessions = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.held_sessions} held"


class ReportRefresh(models.Model):
    """One row: the fingerprints of the data the report tables were built from, and when."""

    fingerprint = models.CharField(max_length=400)
    held_fingerprint = models.CharField(max_length=400, default="")
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"report tables refreshed at {self.refreshed_at:%Y-%m-%d %H:%M}"
