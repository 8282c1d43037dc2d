"""On PostgreSQL, frequent statements are prepared per connection (HAMKORI_PG_PREPARED_STATEMENTS,
issue 18): PostgreSQL then stops planning them anew on every request. The reports' statements are
planned for their values each time (core.database.statements_planned_each_time). The settings that
turn it on are tested in tests/test_settings.py."""

import pytest
from django.contrib.auth.models import User
from django.db import connection

from core.database import statements_planned_each_time


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
