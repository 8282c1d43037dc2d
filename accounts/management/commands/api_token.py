"""`manage.py api_token <username>`: a token for another system to call /api/v1/ as that user.

Creates the user's token, or replaces it (the old one stops working at once), and prints it
once: only the key's holder can read it later, from the database. `--revoke` deletes it.
The token acts with the user's own roles and scopes (docs/api.md), so make a user per system
with only the role it needs.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Create or rotate (or --revoke) the /api/v1/ token of a user, and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Delete the user's token; print nothing.")

    @transaction.atomic
    def handle(self, *args, username: str, revoke: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is not active; a token would not work.")
        deleted, _rows = Token.objects.filter(user=user).delete()
        if revoke:
            self.stderr.write(f"Token of {username!r} revoked." if deleted else f"{username!r} had no token.")
            return
        token = Token.objects.create(user=user)
        self.stderr.write(
            f"{'Rotated' if deleted else 'Created'} the token of {username!r}; it is shown once. "
            "Send it as the header `Authorization: Token <key>`."
        )
        self.stdout.write(token.key)
