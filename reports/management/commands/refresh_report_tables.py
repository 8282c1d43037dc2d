"""Rebuild the report tables (reports.models.EnrolmentFact, DeliveryHeld) now, rather than on the next report.

    manage.py refresh_report_tables            # only if the data changed since the last build
    manage.py refresh_report_tables --force    # always

Reports refresh the tables themselves when the data has changed, so this is never
needed for correct figures; run it after a large import or from cron (say every
15 minutes in working hours) so that nobody waits for the rebuild on the dashboard.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from reports.facts import facts_ensure_fresh
from reports.models import EnrolmentFact, ReportRefresh


class Command(BaseCommand):
    help = "Rebuild the per-enrolment report table (only when the data changed, unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild even if nothing changed.")

    def handle(self, *args, force: bool = False, **options):
        started = time.monotonic()
        self.stdout.write(
            "Checking the report tables against attendance, sessions, enrolments, people, tests and certificates …"
        )
        self.stdout.flush()
        if force:
            with transaction.atomic():
                # Forget the stored fingerprint, so the rebuild below runs and stamps the new one.
                ReportRefresh.objects.filter(pk=1).update(fingerprint="")
                rebuilt = facts_ensure_fresh()
        else:
            rebuilt = facts_ensure_fresh()
        elapsed = time.monotonic() - started
        rows = EnrolmentFact.objects.count()
        if rebuilt:
            self.stdout.write(self.style.SUCCESS(f"Rebuilt: {rows:,} enrolment facts in {elapsed:.1f} s."))
        else:
            self.stdout.write(f"Already up to date: {rows:,} enrolment facts (checked in {elapsed:.1f} s).")
