from django.apps import AppConfig, apps


def _participant_of_account(instance) -> int | None:
    """The participant whose sign-in account (or its personal code) this is, for their export."""
    Participant = apps.get_model("courses", "Participant")
    return Participant.objects.filter(user_id=instance.user_id).values_list("pk", flat=True).first()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Hamkori core"

    def ready(self):
        from django.contrib.auth.models import Group, User
        from django.contrib.auth.signals import user_logged_in

        from . import audit
        from .middleware import stamp_last_seen_at_login

        user_logged_in.connect(stamp_last_seen_at_login, dispatch_uid="core-last-seen-at-login")

        # Who may do what: accounts, their roles (groups), coordinators' regions and personal
        # codes. Names, usernames, e-mails and password hashes are free text, recorded as changed;
        # last_login is left out (every sign-in would write a row).
        audit.register(
            User,
            fields=[
                field.attname
                for field in User._meta.concrete_fields
                if not field.primary_key and field.name != "last_login"
            ],
            m2m=("groups", "user_permissions"),
        )
        audit.register(Group, keep=("name",), m2m=("permissions",))
        audit.register(
            apps.get_model("courses", "Region"), keep=("iso_code", "name", "timezone"), m2m=("coordinators",)
        )
        # The digest is recorded as changed: a re-issued code shows as an update by its issuer.
        audit.register(apps.get_model("accounts", "PersonalCode"), participant_of=_participant_of_account)
