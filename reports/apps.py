from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _triggers_ensure(sender, using, **kwargs):
    """Re-create change triggers a migration dropped (SQLite drops them when Django rebuilds a table)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import triggers

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if not recorder.has_table() or ("reports", "0006_incremental_facts") not in recorder.applied_migrations():
        return  # not installed yet (or migrated back): the migration creates them
    triggers.triggers_ensure(connection)


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        post_migrate.connect(_triggers_ensure, sender=self, dispatch_uid="reports_triggers_ensure")
