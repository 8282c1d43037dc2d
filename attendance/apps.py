from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"

    def ready(self):
        from core import audit

        from .models import AttendanceRecord

        # A note is free text and may say something about the person (illness, family): never its value.
        audit.register(AttendanceRecord, redact=("note",))
