"""What a newcomer meets first: manage.py right after `make install`, and docs that match what is built."""

import re
import runpy
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Phrases of a promise rather than a description; the docs say what is built (issue 17).
UNFINISHED = re.compile(
    r"\bis being built\b|\bTODO\b|\bnot (?:yet )?implemented\b|\bcoming soon\b", re.IGNORECASE
)


def test_settings_create_the_sqlite_folder_so_manage_py_works_before_make_run(tmp_path, monkeypatch):
    """`manage.py migrate` failed with "unable to open database file" until something made var/."""
    settings_dir = tmp_path / "config" / "settings"
    settings_dir.mkdir(parents=True)
    shutil.copy(ROOT / "config" / "settings" / "base.py", settings_dir / "base.py")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = runpy.run_path(str(settings_dir / "base.py"))
    assert Path(settings["DATABASES"]["default"]["NAME"]).parent == tmp_path / "var"
    assert (tmp_path / "var").is_dir()


def documentation() -> list[Path]:
    return [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]


def unfinished_phrases(text: str) -> list[str]:
    # Lines wrap anywhere, so "is being\nbuilt" must be found too.
    return UNFINISHED.findall(" ".join(text.split()))


def test_the_check_finds_a_promise_across_a_line_break():
    assert unfinished_phrases("The personal-code sign-in is being\nbuilt in accounts/.") == ["is being built"]
    assert unfinished_phrases("TODO: describe exports") == ["TODO"]
    assert unfinished_phrases("Sessions that are being rebuilt are listed.") == []


def test_readme_lists_every_environment_variable_the_settings_read():
    read = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(re.findall(r"""(?:environ\.get|env_list)\(\s*["']([A-Z0-9_]+)["']""", path.read_text()))
    assert "DATABASE_URL" in read
    readme = (ROOT / "README.md").read_text()
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


@pytest.mark.parametrize("path", documentation(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_docs_describe_what_is_built(path):
    assert unfinished_phrases(path.read_text()) == []
