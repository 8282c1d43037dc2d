"""Delete old offline sync batches (the answers kept so that a phone's repeated batch writes nothing).

    manage.py purge_sync_batches            # older than HAMKORI_SYNC_BATCH_KEEP_DAYS (default 30)
    manage.py purge_sync_batches --days 90

Run it daily beside purge_jobs (docs/scaling.md). The marks themselves and their history are kept.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attendance.services import sync_batches_purge


class Command(BaseCommand):
    help = "Delete offline sync batches older than HAMKORI_SYNC_BATCH_KEEP_DAYS (the marks stay)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep batches this many days instead of HAMKORI_SYNC_BATCH_KEEP_DAYS.",
        )

    def handle(self, *args, days: int | None = None, **options):
        days = settings.HAMKORI_SYNC_BATCH_KEEP_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be 1 or more: a phone may still be resending today's batches.")
        deleted = sync_batches_purge(older_than_days=days)
        self.stdout.write(
            f"Deleted {deleted} offline sync batch(es) older than {days} day(s); the marks are kept."
        )
