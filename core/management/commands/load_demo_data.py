"""Load the demo programme: users for each role, people, and each app's own demo records.

Idempotent and deterministic: a second run finds what the first made and
creates nothing twice. Each app keeps its loader in `<app>/demo.py` as
`load(*, log, context) -> dict`; the loaders run in dependency order and each
may read what the earlier ones returned through `context`.

The output is short on purpose (`make run` shows it before the server starts): one line per
loader, what the demo contains, and how to try each role's main job.
"""

import importlib
import importlib.util
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

DEMO_LOADERS = [
    ("site and languages", "core.demo"),
    ("users for each role", "accounts.demo"),
    ("organisations and participants", "courses.demo"),
    ("courses and modules", "curriculum.demo"),
    ("deliveries, sessions and enrolments", "courses.demo_deliveries"),
    ("attendance", "attendance.demo"),
    ("tests and certificates", "assessments.demo"),
]
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Load realistic, idempotent demo data (never on a production database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off. Demo users have a published password: never on a live site.",
        )
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Where the site will be served, for the guide printed at the end (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo users have a published password. "
                "Pass --allow-production only on a throwaway database."
            )
        verbose = options["verbosity"] >= 1
        loaders = [
            (label, module_path)
            for label, module_path in DEMO_LOADERS
            if importlib.util.find_spec(module_path) is not None
        ]
        context: dict = {}
        started = time.monotonic()
        for label, module_path in loaders:
            step_started = time.monotonic()
            messages: list[str] = []
            module = importlib.import_module(module_path)
            context.update(module.load(log=messages.append, context=context) or {})
            if verbose:
                summary = "; ".join(message.rstrip(".") for message in messages) or "done"
                self.stdout.write(f"  {label}: {summary} ({time.monotonic() - step_started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.0f} s."))
        if verbose:
            self.stdout.write(contents())
            self.stdout.write(guide(context, base_url=options["base_url"].rstrip("/")))


def contents() -> str:
    """One line on what the demo holds, counted from the database (earlier runs included)."""
    from assessments.models import Certificate
    from courses.models import Delivery, Participant, Session
    from curriculum.models import ModulePage

    modules = ModulePage.objects.live()
    languages = modules.values("locale__language_code").distinct().count()
    by_status = dict(Delivery.objects.values_list("status").annotate(count=Count("pk")))
    statuses = ", ".join(
        f"{by_status[status]} {label.lower()}"
        for status, label in Delivery.Status.choices
        if status in by_status
    )
    return (
        f"The demo: {sum(by_status.values())} deliveries in Tajikistan and Kyrgyzstan ({statuses}), "
        f"{Session.objects.count()} sessions, {Participant.objects.count()} participants, "
        f"{modules.count()} published modules in {languages} languages, "
        f"{Certificate.objects.count()} certificates."
    )


def guide(context: dict, *, base_url: str) -> str:
    """How to try each role's main job: the login, then where to go and what to do."""
    from accounts.demo import DEMO_TRAINEE_CODE, demo_password

    lines = [f"Open {base_url}/ and log in as one of these users (password: {demo_password()}):"]
    live_sessions = context.get("live_sessions") or []
    code = context.get("check_in_code")
    if live_sessions and code:
        live, *later = live_sessions
        zone = live.delivery.region.zone
        until = timezone.localtime(live.ends_at, zone).strftime("%H:%M")
        lines += [
            f"  trainee      sign in with the personal code {DEMO_TRAINEE_CODE} at /accounts/code/, then open",
            f"               Check in (/check-in/) and type {code}: “{live.title}”",
            f"               is on now, until {until} ({zone.key} time).",
        ]
        if later:
            starts = timezone.localtime(later[0].starts_at, zone).strftime("%H:%M")
            lines.append(f"               The next session starts at {starts}; /my/ has a pre test to take.")
        lines.append(
            f"  trainer      /sessions/{live.pk}/attendance/ — the roster of that session: mark who came,"
            " show the check-in code."
        )
    else:
        lines.append(
            f"  trainee      sign in with the personal code {DEMO_TRAINEE_CODE} at /accounts/code/; "
            "/my/ has a pre test to take."
        )
        lines.append(
            "  trainer      /deliveries/ — your deliveries; open a session's roster and mark who came."
        )
    lines += [
        "  coordinator  /deliveries/ — plan and staff deliveries in Sughd; one is full, with a waiting list.",
        "  editor       /admin/pages/ — edit a course module and submit it for review.",
        "  lead         /admin/ — review what editors submitted, then publish it.",
        "  mestaff      /reports/ — indicators by country and region; export to Excel or PDF.",
        "  admin        /admin/ — users, groups and site settings; /privacy/audit/ the audit trail.",
    ]
    return "\n".join(lines)
