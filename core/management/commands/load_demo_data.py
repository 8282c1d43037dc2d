"""Load the demo programme: users for each role, people, and each app's own demo records.

Idempotent and deterministic: a second run finds what the first made and
creates nothing twice. Each app keeps its loader in `<app>/demo.py` as
`load(*, log, context) -> dict`; the loaders run in dependency order and each
may read what the earlier ones returned through `context`.
"""

import importlib
import importlib.util
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEMO_LOADERS = [
    ("site and languages", "core.demo"),
    ("users for each role", "accounts.demo"),
    ("organisations and participants", "courses.demo"),
    ("courses and modules", "curriculum.demo"),
    ("deliveries, sessions and enrolments", "courses.demo_deliveries"),
    ("attendance", "attendance.demo"),
    ("tests and certificates", "assessments.demo"),
]


class Command(BaseCommand):
    help = "Load realistic, idempotent demo data (never on a production database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off. Demo users have a published password: never on a live site.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo users have a published password. "
                "Pass --allow-production only on a throwaway database."
            )
        loaders = [
            (label, module_path)
            for label, module_path in DEMO_LOADERS
            if importlib.util.find_spec(module_path) is not None
        ]
        context: dict = {}
        started = time.monotonic()
        for number, (label, module_path) in enumerate(loaders, start=1):
            self.stdout.write(f"[{number}/{len(loaders)}] {label} …")
            step_started = time.monotonic()
            module = importlib.import_module(module_path)
            context.update(module.load(log=self._log, context=context) or {})
            self.stdout.write(f"      done in {time.monotonic() - step_started:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s."))

    def _log(self, message: str) -> None:
        self.stdout.write(f"      {message}")
