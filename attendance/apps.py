from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"

    def ready(self):
        from core import audit

        from .models import AttendanceRecord

        audit.register(AttendanceRecord)
