"""Database triggers that note which facts a write makes stale, on SQLite and PostgreSQL alike.

Every INSERT, UPDATE or DELETE of a record an `EnrolmentFact` copies — through a service,
`bulk_create`, `QuerySet.update`, a merge, an erasure, a workbook import or a test — adds
(delivery, participant) rows to `reports.FactChange`; `reports.facts` drains them before the
next report and rewrites only the facts they name. 0 stands for "every": (d, 0) is every fact
of delivery d, (0, p) every fact of participant p, (0, 0) everything (a full rebuild).

Why triggers: apps below reports may not import reports, and bulk writes send no signals, so
only the database sees every write. An UPDATE notes a change only when a column the facts
read changed (a re-saved participant with the same sex and organisation notes nothing).

SQLite drops a table's triggers when Django rebuilds the table (an AlterField there), so
`triggers_ensure` runs after every `migrate` (reports.apps) and re-creates any that are
missing, queueing a full rebuild when it had to.

PostgreSQL runs one trigger per statement with its transition tables (a `bulk_create` of
5,000 marks is one INSERT … SELECT DISTINCT, not 5,000 function calls); SQLite has only row
triggers, each one small INSERT. Duplicates are left to the drain (see FactChange).
"""

from dataclasses import dataclass

CHANGE_TABLE = "reports_factchange"
PREFIX = "reports_fact_change"


@dataclass(frozen=True)
class Source:
    """A table the facts copy, what a changed row of it makes stale, and when."""

    table: str
    # Which facts a row `{r}` concerns: SQL for the delivery and the participant (0 = every),
    # and optionally more tables to read from with their join condition.
    delivery: str
    participant: str
    watched: tuple[str, ...]  # an UPDATE of one of these columns changes the facts
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")
    joined: str = ""  # ", table alias" to select from as well
    where: str = ""  # condition on r and the joined table
    key: str = "id"

    def select(self, row: str, from_rows: str = "") -> str:
        """SELECT of (delivery, participant) for the row(s) called `row`, FROM `from_rows` if given."""
        delivery, participant, where = (
            part.replace("{r}", row) for part in (self.delivery, self.participant, self.where)
        )
        tables = ", ".join(part for part in (from_rows, self.joined.lstrip(", ")) if part)
        sql = f"SELECT DISTINCT {delivery}, {participant}"
        if tables:
            sql += f" FROM {tables}"
        if where:
            sql += f" WHERE {where}"
        return sql


SOURCES = [
    Source(
        "attendance_attendancerecord",
        # The delivery through the session; 0 (every delivery of the person) if it is gone already.
        delivery="COALESCE((SELECT s.delivery_id FROM courses_session s WHERE s.id = {r}.session_id), 0)",
        participant="{r}.participant_id",
        watched=("session_id", "participant_id", "status"),
    ),
    Source(
        "courses_session",
        delivery="{r}.delivery_id",
        participant="0",
        watched=("delivery_id", "starts_at", "ends_at", "status"),
    ),
    Source(
        "courses_enrolment",
        delivery="{r}.delivery_id",
        participant="{r}.participant_id",
        watched=("delivery_id", "participant_id", "status", "audience"),
    ),
    Source(
        "courses_participant",
        delivery="0",
        participant="{r}.id",
        watched=("sex", "organisation_id"),
        events=("UPDATE", "DELETE"),
    ),
    Source(
        "courses_organisation",
        delivery="0",
        participant="p.id",
        joined=", courses_participant p",
        where="p.organisation_id = {r}.id",
        watched=("type",),
        events=("UPDATE",),
    ),
    Source(
        "courses_delivery",
        delivery="{r}.id",
        participant="0",
        watched=("status", "country_id", "region_id", "course_id"),
        events=("UPDATE", "DELETE"),
    ),
    Source(
        "curriculum_coursepage",
        delivery="d.id",
        participant="0",
        joined=", courses_delivery d",
        where="d.course_id = {r}.page_ptr_id",
        watched=("minimum_attendance_percent",),
        events=("UPDATE",),
        key="page_ptr_id",
    ),
    Source(
        "assessments_attempt",
        delivery="{r}.delivery_id",
        participant="{r}.participant_id",
        watched=("delivery_id", "participant_id", "phase", "status", "score", "max_score"),
    ),
    Source(
        "assessments_certificate",
        delivery="{r}.delivery_id",
        participant="{r}.participant_id",
        watched=("delivery_id", "participant_id", "revoked_at"),
    ),
]


def _name(source: Source, event: str = "") -> str:
    return f"{PREFIX}_{source.table}" + (f"_{event.lower()}" if event else "")


def trigger_names() -> list[str]:
    return [_name(source, event) for source in SOURCES for event in source.events]


# SQLite ------------------------------------------------------------------------------------------


def _sqlite_trigger(source: Source, event: str) -> str:
    insert = f"INSERT INTO {CHANGE_TABLE} (delivery_id, participant_id) "
    rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]
    body = " ".join(f"{insert}{source.select(row)};" for row in rows)
    timing = f"AFTER {event}"
    when = ""
    if event == "UPDATE":
        timing += " OF " + ", ".join(source.watched)
        changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in source.watched)
        when = f" WHEN {changed}"
    return (
        f"CREATE TRIGGER IF NOT EXISTS {_name(source, event)} {timing} ON {source.table} "
        f"FOR EACH ROW{when} BEGIN {body} END;"
    )


# PostgreSQL --------------------------------------------------------------------------------------


def _postgresql_function(source: Source) -> str:
    insert = f"INSERT INTO {CHANGE_TABLE} (delivery_id, participant_id) "
    conflict = ";"
    changed = " OR ".join(f"o.{column} IS DISTINCT FROM n.{column}" for column in source.watched)
    updated = (
        f"(SELECT {{side}}.* FROM old_rows o JOIN new_rows n ON n.{source.key} = o.{source.key} "
        f"WHERE {changed})"
    )
    return f"""
    CREATE OR REPLACE FUNCTION {_name(source)}() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {insert}{source.select("r", "new_rows r")}{conflict}
      ELSIF TG_OP = 'DELETE' THEN
        {insert}{source.select("r", "old_rows r")}{conflict}
      ELSE
        {insert}{source.select("r", updated.format(side="o") + " r")}{conflict}
        {insert}{source.select("r", updated.format(side="n") + " r")}{conflict}
      END IF;
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """


def _postgresql_trigger(source: Source, event: str) -> str:
    tables = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }[event]
    return (
        f"CREATE OR REPLACE TRIGGER {_name(source, event)} AFTER {event} ON {source.table} "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {_name(source)}();"
    )


def create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [_sqlite_trigger(source, event) for source in SOURCES for event in source.events]
    if vendor == "postgresql":
        statements = []
        for source in SOURCES:
            statements.append(_postgresql_function(source))
            statements += [_postgresql_trigger(source, event) for event in source.events]
        return statements
    return []


def drop_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name};" for name in trigger_names()]
    if vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {_name(source, event)} ON {source.table};"
            for source in SOURCES
            for event in source.events
        ]
        return statements + [f"DROP FUNCTION IF EXISTS {_name(source)}();" for source in SOURCES]
    return []


def installed_trigger_names(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{PREFIX}%"]
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s", [f"{PREFIX}%"]
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}


def triggers_ensure(connection) -> list[str]:
    """Create the triggers that are missing; returns their names. A full rebuild is queued when any were.

    Missing after the first install means a table was rebuilt (SQLite) and writes since then
    went unnoticed, so the next report rebuilds everything rather than trust the facts.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        return []
    missing = [name for name in trigger_names() if name not in installed_trigger_names(connection)]
    if not missing:
        return []
    with connection.cursor() as cursor:
        for statement in create_statements(connection.vendor):
            cursor.execute(statement)
        cursor.execute(
            f"INSERT INTO {CHANGE_TABLE} (delivery_id, participant_id) VALUES (0, 0) ON CONFLICT DO NOTHING"
        )
    return missing
