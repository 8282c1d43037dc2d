"""Fill msgstr entries of .po files from a Python file holding a TRANSLATIONS dict.

    python scripts/fill_translations.py path/to/translations.py app_or_locale_dir [...]
    python scripts/fill_translations.py scripts/translations app_or_locale_dir [...]

Given a folder, it merges the TRANSLATIONS of every .py file in it.

TRANSLATIONS maps an msgid to {"ru": ..., "tg": ..., "ky": ...}; for a plural
entry the value for a language is a list of forms in the language's order.
Entries already translated are overwritten only when the dict has them, and
the fuzzy flag is cleared. It prints what is still untranslated, so nothing
ships half-done by accident.
"""

import runpy
import sys
from pathlib import Path

import polib


def plural_count(catalogue: polib.POFile) -> int:
    header = catalogue.metadata.get("Plural-Forms", "nplurals=2;")
    return int(header.split("nplurals=")[1].split(";")[0])


def fill(po_path: Path, language: str, translations: dict) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    plurals = plural_count(catalogue)
    for entry in catalogue:
        if entry.obsolete:
            continue
        values = translations.get(entry.msgid)
        if values and language in values:
            value = values[language]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                # Fit the forms to the catalogue's nplurals: extra forms dropped, missing ones repeat the last.
                forms = (forms + [forms[-1]] * plurals)[:plurals]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save()
    # A fuzzy entry is makemessages' guess from a similar string: gettext ignores it, so it is missing.
    return [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or not (entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values())))
        )
    ]


def main() -> int:
    source = Path(sys.argv[1])
    translations = {}
    for path in sorted(source.glob("*.py")) if source.is_dir() else [source]:
        translations.update(runpy.run_path(str(path))["TRANSLATIONS"])
    missing_any = False
    for directory in sys.argv[2:]:
        locale_dir = Path(directory) if Path(directory).name == "locale" else Path(directory) / "locale"
        for language in ("ru", "tg", "ky"):
            po_path = locale_dir / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                continue
            missing = fill(po_path, language, translations)
            for msgid in missing:
                missing_any = True
                print(f"untranslated [{language}] {po_path}: {msgid!r}")
    return 1 if missing_any else 0


if __name__ == "__main__":
    sys.exit(main())
