"""Report tables: one row per active enrolment with everything a report counts, derived and refreshed by reports code.

These rows are a cache, never the truth: `reports.facts.facts_refresh` rebuilds them all
in one INSERT … SELECT from enrolments, participants, deliveries, attendance marks, test
attempts and certificates; database triggers (reports/triggers.py) note in `FactChange`
which deliveries and participants every write concerns, and before each report
`reports.facts` rewrites only those facts. Why a cache at all: a figure over ten years
(250,000 enrolments, a million marks) then reads one narrow table with no joins, instead
of joining six tables and grouping a million marks per figure.
"""

from django.db import models
from django.db.models import Q

from courses.models import Country, Delivery, Enrolment, Participant, Region


class EnrolmentFact(models.Model):
    """An active enrolment (not withdrawn or waitlisted) as reports see it, copied from its sources.

    Who (participant, sex, organisation type, the audience attended as), where (delivery,
    country, region), the completion decision, what the participant attended at
    sessions not cancelled (whatever their start: a row does not go stale as time passes),
    their pre and post scores, and whether they hold a valid certificate.
    """

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, primary_key=True, related_name="report_fact"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="report_facts")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="report_facts")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=32)
    sex = models.CharField(max_length=10)
    organisation_type = models.CharField(max_length=32, blank=True)
    # The stored completion decision (assessments.services.completion_decide): "trained" counts these.
    enrolment_completed = models.BooleanField()
    # Not decided yet: the delivery is still running ("in training now", never "trained").
    in_training = models.BooleanField(default=False)
    minimum_attendance_percent = models.PositiveSmallIntegerField()
    # Sessions of the delivery held (started, not cancelled) when the held counts were last
    # brought up to date; reports.facts does that before every report whose clock has passed
    # a session's start.
    held_sessions = models.PositiveIntegerField()
    attended_sessions = models.PositiveIntegerField()
    attended_duration = models.DurationField(null=True)
    first_attended_at = models.DateTimeField(null=True)
    last_attended_at = models.DateTimeField(null=True)
    # This delivery is where the participant first attended anything in the programme.
    is_first_delivery = models.BooleanField()
    pre_percent = models.FloatField(null=True)
    post_percent = models.FloatField(null=True)
    certified = models.BooleanField()
    # The ReportRefresh.generation that wrote this row: which rows a refresh rewrote.
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(attended_sessions=0, first_attended_at__isnull=True, last_attended_at__isnull=True)
                    | Q(
                        attended_sessions__gt=0,
                        first_attended_at__lte=models.F("last_attended_at"),
                    )
                ),
                name="fact_attended_span_matches_count",
            ),
            models.CheckConstraint(
                condition=Q(is_first_delivery=False) | Q(attended_sessions__gt=0),
                name="fact_first_delivery_was_attended",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(pre_percent__isnull=True) | Q(pre_percent__gte=0, pre_percent__lte=100))
                    & (Q(post_percent__isnull=True) | Q(post_percent__gte=0, post_percent__lte=100))
                ),
                name="fact_scores_are_percentages",
            ),
            models.CheckConstraint(
                condition=Q(minimum_attendance_percent__lte=100), name="fact_minimum_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"enrolment {self.enrolment_id}: {self.attended_sessions} of {self.held_sessions} attended"


class DeliveryHeld(models.Model):
    """How many of a delivery's sessions have been held (started, not cancelled); no row means none.

    Rebuilt (5,000 rows, milliseconds) whenever the number of sessions held programme-wide
    changes, which is when a session starts or sessions are edited; the facts of deliveries
    whose count moved are updated with it.
    """

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, primary_key=True, related_name="report_held"
    )
    held_sessions = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.held_sessions} held"


class FactChange(models.Model):
    """Facts made stale by a write, noted by the database triggers of reports/triggers.py; drained by reports.facts.

    Plain numbers, not foreign keys: the delivery or participant may have been deleted, and
    then their facts must go. 0 stands for "every": (d, 0) is every fact of delivery d,
    (0, p) every fact of participant p, (0, 0) every fact (a full rebuild). No unique
    constraint on purpose: a writer noting the same change as a row a running refresh has
    claimed (deleted, not yet committed) would wait for that refresh on the unique index;
    duplicates cost nothing, the drain reads them into a set.
    """

    delivery_id = models.BigIntegerField()
    participant_id = models.BigIntegerField()

    def __str__(self) -> str:
        return (
            f"stale facts: delivery {self.delivery_id or 'any'}, participant {self.participant_id or 'any'}"
        )


class ReportRefresh(models.Model):
    """One row: when the report tables last held every change, and the state of that refresh.

    Its row lock (PostgreSQL) is the refresh lock: whoever holds it refreshes; a report that
    finds it taken does not wait but shows the tables as of `refreshed_at`.
    """

    # When the tables last reflected every write noted before it: "Figures as of …".
    refreshed_at = models.DateTimeField()
    # Sessions held programme-wide at the held counts' last refresh; -1 before the first build.
    held_sessions = models.IntegerField(default=-1)
    # Counts refreshes; each rewritten fact row carries the number of the refresh that wrote it.
    generation = models.PositiveBigIntegerField(default=0)
    # Set while a full rebuild runs (committed before it starts, so other connections see it).
    rebuild_started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"report tables refreshed at {self.refreshed_at:%Y-%m-%d %H:%M}"
