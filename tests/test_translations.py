"""Every string of our interface ships in Russian, Tajik and Kyrgyz: no gap, no fuzzy guess."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def test_every_app_ships_its_catalogues():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"ru", "tg", "ky"}
    assert len(CATALOGUES) >= 3 * 8


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_complete_and_has_no_fuzzy_entries(path):
    catalogue = polib.pofile(str(path))
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags and not entry.obsolete]
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not fuzzy, f"fuzzy (gettext ignores them): {fuzzy}"
    assert not untranslated, f"untranslated: {untranslated}"
