"""Bring the report tables (reports.models.EnrolmentFact, DeliveryHeld) up to date now, or rebuild them whole.

    manage.py refresh_report_tables            # rewrite the facts of records changed since the last refresh
    manage.py refresh_report_tables --force    # rebuild every fact (about 8 s at ten years' size)
    manage.py refresh_report_tables --background [--owner USERNAME]
                                               # the full rebuild as a job for the background worker

Reports keep the tables up to date themselves (database triggers note every change and the
next report rewrites only the facts concerned), so neither is needed for correct figures.
--force is for after a restore or a change to how facts are built. Reports opened during a
rebuild are not held up: they show the previous figures with "Figures as of …".
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from jobs.models import BackgroundJob
from jobs.services import job_start
from reports.facts import facts_ensure_fresh, facts_refresh
from reports.models import EnrolmentFact
from reports.tasks import facts_rebuild_task


class Command(BaseCommand):
    help = "Bring the per-enrolment report table up to date (or rebuild it whole with --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild every row, changed or not.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the full rebuild for the background worker (manage.py db_worker --backend background) and return at once.",
        )
        parser.add_argument(
            "--owner",
            help="With --background: the admin or M&E staff user who follows the job at /jobs/<id>/ "
            "(default: the first active superuser).",
        )

    def handle(
        self, *args, force: bool = False, background: bool = False, owner: str | None = None, **options
    ):
        if background:
            self._queue(owner)
            return
        started = time.monotonic()
        if force:
            self.stdout.write(
                "Rebuilding the report tables from attendance, sessions, enrolments, people, tests and certificates …"
            )
            self.stdout.flush()
            rows = facts_refresh()
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"Rebuilt: {rows:,} enrolment facts in {elapsed:.1f} s."))
            return
        refreshed = facts_ensure_fresh()
        elapsed = time.monotonic() - started
        rows = EnrolmentFact.objects.count()
        if refreshed:
            self.stdout.write(
                self.style.SUCCESS(f"Brought up to date: {rows:,} enrolment facts in {elapsed:.1f} s.")
            )
        else:
            self.stdout.write(f"Already up to date: {rows:,} enrolment facts (checked in {elapsed:.1f} s).")

    def _queue(self, username: str | None) -> None:
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
        else:
            user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None or not roles.is_programme_staff(user):
            raise CommandError(
                "Name an active admin or M&E staff user with --owner: the job is theirs to follow."
            )
        job = job_start(
            owner=user,
            kind=BackgroundJob.Kind.FACTS_REBUILD,
            title=_("Rebuild of the report tables"),
            task=facts_rebuild_task,
            back_url=reverse("reports:dashboard"),
        )
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("jobs:detail", args=[job.pk])
        self.stdout.write(
            self.style.SUCCESS(f"Queued as background job {job.pk} (owner: {user.get_username()}).")
        )
        self.stdout.write(
            f"Follow it at {url} signed in as {user.get_username()}, or in the worker's output.\n"
            "It runs when a worker is running: `make worker` or `manage.py db_worker --backend background` (make run starts one)."
        )
