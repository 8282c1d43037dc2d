"""Complete the deliveries whose last session ended some days ago, and decide their people.

Run daily from cron (docs/assessments.md): staff usually complete a delivery by hand, but one
they forget would leave its people "in training" for ever and out of every "trained" figure.
Also decides, once, any active enrolment of a completed delivery that has no decision yet
(deliveries completed before decisions were stored). Idempotent: a second run does nothing.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Max, Q
from django.utils import timezone

from courses.models import Delivery, Enrolment, Session
from courses.rules import active_enrolment_q
from courses.services import delivery_set_status

from ...services import completion_decide

DEFAULT_DAYS = 14


class Command(BaseCommand):
    help = (
        "Complete deliveries whose last session ended more than --days days ago and decide their enrolments."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Days after its last session ended before a delivery is completed (default {DEFAULT_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be done.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        now = timezone.now()
        not_cancelled = ~Q(sessions__status=Session.Status.CANCELLED)
        ended = (
            Delivery.objects.filter(
                status__in=[Delivery.Status.PLANNED, Delivery.Status.OPEN, Delivery.Status.IN_PROGRESS]
            )
            .annotate(last_end=Max("sessions__ends_at", filter=not_cancelled))
            .filter(last_end__lt=now - timedelta(days=days))
            .order_by("pk")
        )
        undecided = (
            Delivery.objects.filter(status=Delivery.Status.COMPLETED)
            .filter(enrolments__in=Enrolment.objects.filter(active_enrolment_q(), decided_at__isnull=True))
            .distinct()
            .order_by("pk")
        )
        to_complete, to_decide = list(ended), list(undecided)
        completed = decided = 0
        for number, delivery in enumerate(to_complete, start=1):
            if not dry_run:
                delivery_set_status(delivery=delivery, status=Delivery.Status.COMPLETED)
            completed += 1
            self.stdout.write(f"  completed {number}/{len(to_complete)}: delivery #{delivery.pk}")
        for number, delivery in enumerate(to_decide, start=1):
            if not dry_run:
                decided += len(completion_decide(delivery=delivery))
            self.stdout.write(f"  decided {number}/{len(to_decide)}: delivery #{delivery.pk}")
        verb = "Would complete" if dry_run else "Completed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {completed} deliveries ended more than {days} days ago; "
                f"decided {decided} enrolments of {len(to_decide)} earlier completed deliveries."
            )
        )
