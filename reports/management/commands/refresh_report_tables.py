"""Rebuild the report tables (reports.models.EnrolmentOutcome) now, rather than on the next report.

    manage.py refresh_report_tables            # only if the data changed since the last build
    manage.py refresh_report_tables --force    # always

Reports refresh the tables themselves when the data has changed, so this is never
needed for correct figures; run it after a large import or from cron (say every
15 minutes in working hours) so that nobody waits for the rebuild on the dashboard.
"""

import time

from django.core.management.base import BaseCommand

from reports.models import EnrolmentOutcome
from reports.outcomes import outcomes_ensure_fresh, outcomes_refresh


class Command(BaseCommand):
    help = "Rebuild the per-enrolment report tables from attendance (only when the data changed, unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild even if nothing changed.")

    def handle(self, *args, force: bool = False, **options):
        started = time.monotonic()
        self.stdout.write("Checking the report tables against attendance, sessions and enrolments …")
        if force:
            outcomes_refresh()
            rebuilt = True
        else:
            rebuilt = outcomes_ensure_fresh()
        elapsed = time.monotonic() - started
        rows = EnrolmentOutcome.objects.count()
        if rebuilt:
            self.stdout.write(self.style.SUCCESS(f"Rebuilt: {rows:,} enrolment outcomes in {elapsed:.1f} s."))
        else:
            self.stdout.write(
                f"Already up to date: {rows:,} enrolment outcomes (checked in {elapsed:.1f} s)."
            )
