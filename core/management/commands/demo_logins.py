"""Print the demo logins, one per role, for the README's `make run`."""

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TRAINEE_CODE, DEMO_USERS, demo_password


class Command(BaseCommand):
    help = "Print the demo users' logins."

    def handle(self, *args, **options):
        password = demo_password()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password}):"))
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<12} {demo.description}")
        self.stdout.write(
            f"  The trainee can also sign in at /accounts/code/ with the personal code {DEMO_TRAINEE_CODE}."
        )
        self.stdout.write("Open http://127.0.0.1:8000/ (or your PORT) — the Wagtail admin is at /admin/.")
