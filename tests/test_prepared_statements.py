"""On PostgreSQL, frequent statements are prepared per connection (HAMKORI_PG_PREPARED_STATEMENTS,
issue 18): PostgreSQL then stops planning them anew on every request. The reports' statements are
planned for their values each time (core.database.statements_planned_each_time)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from core.database import statements_planned_each_time

ROOT = Path(__file__).resolve().parents[1]


def _database_options(**environment) -> dict:
    """The database OPTIONS the settings build for a given environment (read in a fresh interpreter,
    since the settings module is evaluated once per process)."""
    program = "from config.settings import base; import json; print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


POSTGRES_URL = "postgres://hamkori@127.0.0.1:5432/hamkori"


def test_postgresql_binds_parameters_and_prepares_by_default():
    options = _database_options(DATABASE_URL=POSTGRES_URL)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_the_setting_turns_preparing_off_for_a_pooler_that_cannot_keep_it():
    options = _database_options(DATABASE_URL=POSTGRES_URL, HAMKORI_PG_PREPARED_STATEMENTS="false")
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_is_left_alone():
    options = _database_options(DATABASE_URL="sqlite:////tmp/hamkori-settings-check.sqlite3")
    assert "server_side_binding" not in options


def _prepared(marker_column: str) -> bool:
    """Whether this connection holds a prepared statement filtering on `username` and `marker_column`."""
    patterns = ['%"auth_user"."username" = $%', f'%"auth_user"."{marker_column}" = $%']
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND statement LIKE %s",
            patterns,
        )
        return cursor.fetchone()[0] > 0


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@pytest.fixture
def preparing(settings):
    if not settings.HAMKORI_PG_PREPARED_STATEMENTS:
        pytest.skip("turned off in this environment (HAMKORI_PG_PREPARED_STATEMENTS=false)")


@pytest.mark.django_db
@postgresql_only
def test_a_statement_run_often_is_prepared_on_its_connection(preparing):
    User.objects.create_user("often-read")
    # Statements of a shape no other code sends, so that they cannot have been prepared before.
    read = User.objects.filter(username="often-read", last_name="").values_list("pk", flat=True)
    assert not _prepared("last_name")
    for _ in range(8):  # psycopg prepares a statement once it has run `prepare_threshold` (5) times
        assert len(read.all()) == 1
    assert _prepared("last_name")


@pytest.mark.django_db
@postgresql_only
def test_statements_planned_each_time_are_never_prepared_and_preparing_resumes_after(preparing):
    User.objects.create_user("report-read")
    read = User.objects.filter(username="report-read", first_name="").values_list("pk", flat=True)
    with statements_planned_each_time():
        for _ in range(8):
            assert len(read.all()) == 1
        assert not _prepared("first_name")
    for _ in range(8):
        assert len(read.all()) == 1
    assert _prepared("first_name")
