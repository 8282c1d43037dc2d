"""Delete old background jobs, their files and the queue's finished rows.

    manage.py purge_jobs                 # older than HAMKORI_JOBS_KEEP_DAYS (default 7)
    manage.py purge_jobs --days 30

Run it daily (cron or a systemd timer, docs/scaling.md): job files hold participants' names, so
they are kept only as long as their owners need to download them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.services import jobs_purge


class Command(BaseCommand):
    help = "Delete background jobs (with their files and queue rows) older than HAMKORI_JOBS_KEEP_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep jobs this many days instead of HAMKORI_JOBS_KEEP_DAYS.",
        )

    def handle(self, *args, days: int | None = None, **options):
        days = settings.HAMKORI_JOBS_KEEP_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        jobs, queue_rows = jobs_purge(older_than_days=days)
        self.stdout.write(
            f"Deleted {jobs} background job(s) older than {days} day(s) and {queue_rows} finished queue row(s)."
        )
