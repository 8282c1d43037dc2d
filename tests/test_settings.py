"""Production settings refuse to run insecurely, and pass Django's deployment checklist."""

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
