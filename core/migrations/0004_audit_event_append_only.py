"""On PostgreSQL, refuse UPDATE (of anything but the actor, which a deleted user's SET_NULL clears)
and DELETE of audit events in the database itself, whatever client writes to it.

Not on SQLite: Django's test flush empties tables with DELETE there (PostgreSQL uses TRUNCATE,
which row triggers do not see); the model and its queryset refuse changes on every database.
"""

from django.db import migrations

GUARDED_COLUMNS = "actor_label, occurred_at, action, content_type_id, object_id, object_repr, participant_id, changes"

CREATE = f"""
CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Audit events are append-only; they cannot be changed or deleted.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse();
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_event")]

    operations = [migrations.RunPython(forwards, backwards)]
