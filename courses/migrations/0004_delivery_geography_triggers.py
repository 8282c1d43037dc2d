"""A delivery's region lies in its country and its venue in its region, enforced by the database.

Django 5.2 has no composite foreign keys, so a CHECK cannot look at another
table; triggers can, on SQLite and PostgreSQL alike. Both raise a constraint
violation that Django reports as IntegrityError.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER courses_delivery_geography_insert BEFORE INSERT ON courses_delivery
    WHEN (SELECT country_id FROM courses_region WHERE id = NEW.region_id) IS NOT NEW.country_id
      OR (NEW.venue_id IS NOT NULL
          AND (SELECT region_id FROM courses_venue WHERE id = NEW.venue_id) IS NOT NEW.region_id)
    BEGIN SELECT RAISE(ABORT, 'delivery_geography: region must be in the country, venue in the region'); END;
    """,
    """
    CREATE TRIGGER courses_delivery_geography_update BEFORE UPDATE ON courses_delivery
    WHEN (SELECT country_id FROM courses_region WHERE id = NEW.region_id) IS NOT NEW.country_id
      OR (NEW.venue_id IS NOT NULL
          AND (SELECT region_id FROM courses_venue WHERE id = NEW.venue_id) IS NOT NEW.region_id)
    BEGIN SELECT RAISE(ABORT, 'delivery_geography: region must be in the country, venue in the region'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS courses_delivery_geography_insert;",
    "DROP TRIGGER IF EXISTS courses_delivery_geography_update;",
]

POSTGRESQL_FORWARD = [
    """
    CREATE FUNCTION courses_delivery_check_geography() RETURNS trigger AS $$
    BEGIN
      IF (SELECT country_id FROM courses_region WHERE id = NEW.region_id) IS DISTINCT FROM NEW.country_id
         OR (NEW.venue_id IS NOT NULL
             AND (SELECT region_id FROM courses_venue WHERE id = NEW.venue_id) IS DISTINCT FROM NEW.region_id)
      THEN
        RAISE EXCEPTION 'delivery_geography: region must be in the country, venue in the region'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER courses_delivery_geography BEFORE INSERT OR UPDATE ON courses_delivery
    FOR EACH ROW EXECUTE FUNCTION courses_delivery_check_geography();
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS courses_delivery_geography ON courses_delivery;",
    "DROP FUNCTION IF EXISTS courses_delivery_check_geography();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_scheduling")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
