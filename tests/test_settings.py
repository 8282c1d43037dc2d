"""Production settings refuse to run insecurely, and pass Django's deployment checklist; the database
options each environment builds (PostgreSQL's prepared statements)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_LIKE_KEY = "k" * 20 + "-production-like-secret-for-the-check-0123456789"


def _manage(*args: str, env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_overrides={"DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_code_pepper():
    result = _manage(
        "check", env_overrides={"DJANGO_SECRET_KEY": PRODUCTION_LIKE_KEY, "HAMKORI_CODE_PEPPER": ""}
    )
    assert result.returncode != 0
    assert "HAMKORI_CODE_PEPPER must be set" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"DJANGO_SECRET_KEY": PRODUCTION_LIKE_KEY, "HAMKORI_CODE_PEPPER": "p" * 40},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_outside_dev_settings():
    from config.settings import base, test

    assert base.DEBUG is False
    assert test.DEBUG is False


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
        timeout=120,
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
