from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"

    def ready(self):
        from core import audit
        from courses.models import Organisation
        from curriculum.content_cache import replace_version_on_changes_to

        from .models import AttendanceRecord

        # The walk-in form under every roster is kept with its organisation options
        # (attendance.views.walk_in_fields_key): a changed organisation shows on the next roster.
        replace_version_on_changes_to(Organisation)

        # A note is free text and may say something about the person (illness, family): never its value.
        audit.register(AttendanceRecord, redact=("note",))
