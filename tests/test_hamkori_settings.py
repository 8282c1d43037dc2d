"""Every HAMKORI_* setting the code reads is declared in config/settings/base.py and documented in
docs/settings.md; the personal-code pepper is its own setting, not the secret key."""

import ast
import re
from pathlib import Path

import pytest

from accounts.personal_codes import code_digest, personal_code_issue, user_for_code
from accounts.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRECTORIES = {".venv", "node_modules", ".git", "tests", "migrations", "var"}
READ = re.compile(r"""getattr\(\s*settings\s*,\s*["'](HAMKORI_\w+)["']|settings\.(HAMKORI_\w+)""")


def settings_read_by_the_code() -> set[str]:
    names = set()
    for path in ROOT.rglob("*.py"):
        if SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts):
            continue
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names


def declared_in_base() -> set[str]:
    tree = ast.parse((ROOT / "config" / "settings" / "base.py").read_text(encoding="utf-8"))
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }


def test_the_scan_finds_the_settings_it_should():
    # A scan that finds nothing would pass the tests below without checking anything.
    assert {"HAMKORI_CODE_PEPPER", "HAMKORI_STAFF_IDLE_HOURS", "HAMKORI_CALENDAR_DOMAIN"} <= (
        settings_read_by_the_code()
    )


def test_every_hamkori_setting_read_by_the_code_is_declared_in_base_settings():
    missing = settings_read_by_the_code() - declared_in_base()
    assert not missing, f"declare these in config/settings/base.py with a default and a comment: {missing}"


def test_every_hamkori_setting_is_documented():
    documented = set(
        re.findall(r"`(HAMKORI_\w+)`", (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"))
    )
    declared = {name for name in declared_in_base() if name.startswith("HAMKORI_")}
    missing = (settings_read_by_the_code() | declared) - documented
    assert not missing, f"add these to the table in docs/settings.md: {missing}"


@pytest.mark.django_db
def test_codes_are_keyed_with_the_pepper_so_rotating_the_secret_key_keeps_them(settings):
    user = UserFactory()
    code = personal_code_issue(user=user, issued_by=None)
    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40
    assert user_for_code(code) == user
    settings.HAMKORI_CODE_PEPPER = "a-rotated-pepper-" + "y" * 40
    assert user_for_code(code) is None


def test_the_pepper_is_read_from_its_own_environment_variable(monkeypatch):
    import importlib

    from config.settings import base

    monkeypatch.setenv("HAMKORI_CODE_PEPPER", "from-the-environment-" + "z" * 20)
    try:
        assert importlib.reload(base).HAMKORI_CODE_PEPPER == "from-the-environment-" + "z" * 20
    finally:
        monkeypatch.delenv("HAMKORI_CODE_PEPPER")
        importlib.reload(base)


def test_a_missing_pepper_stops_code_checks_rather_than_falling_back(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.HAMKORI_CODE_PEPPER = ""
    with pytest.raises(ImproperlyConfigured):
        code_digest("ABCD-EFGH")
