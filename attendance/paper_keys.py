"""The paper grid's keys: one letter per attendance status in each interface language.

A trainer types a paper sheet's marks one key per person. The letters follow
the interface language, so the legend on the page shows the language's own
initials (Russian П О Р У Н, Tajik Ҳ Д Б У Ғ, Kyrgyz Б К Э С Ж), and they are
also read by key position (KeyboardEvent.code): on a keyboard set to another
layout the key where the letter sits on the language's standard layout types
the same status. The standard layouts are QWERTY for English and the Russian
ЙЦУКЕН for Russian, Tajik and Kyrgyz, whose own layouts keep the Russian
letters in place; a Tajik-only letter (Ҳ, Ғ) is placed where its Russian base
letter (Х, Г) is, and that base letter is accepted too, for trainers who type
Tajik on a Russian layout. docs/attendance.md lists the keys.
"""

from core.languages import language_code

from .models import AttendanceStatus

S = AttendanceStatus

# Interface language → status → its key (lower case; upper case is accepted too).
PAPER_KEYS: dict[str, dict[str, str]] = {
    # present, late, left early, excused, absent
    "en": {S.PRESENT: "p", S.LATE: "l", S.LEFT_EARLY: "e", S.EXCUSED: "x", S.ABSENT: "a"},
    # Присутствует, Опоздал, ушёл Раньше, Уважительная причина, Нет
    "ru": {S.PRESENT: "п", S.LATE: "о", S.LEFT_EARLY: "р", S.EXCUSED: "у", S.ABSENT: "н"},
    # Ҳозир, Дер омад, Барвақт рафт, Узрнок, Ғоиб
    "tg": {S.PRESENT: "ҳ", S.LATE: "д", S.LEFT_EARLY: "б", S.EXCUSED: "у", S.ABSENT: "ғ"},
    # Бар (present), Кечикти, Эрте кетти, Себептүү, Жок
    "ky": {S.PRESENT: "б", S.LATE: "к", S.LEFT_EARLY: "э", S.EXCUSED: "с", S.ABSENT: "ж"},
}

# Letters that stand for a key letter: the Russian base of a Tajik letter.
ALIASES = {"tg": {"х": "ҳ", "г": "ғ"}}

# KeyboardEvent.code of each letter on the standard layouts.
QWERTY = {letter: f"Key{letter.upper()}" for letter in "abcdefghijklmnopqrstuvwxyz"}
JCUKEN = dict(
    zip(
        "йцукенгшщзхъфывапролджэячсмитьбю",
        [
            *(f"Key{letter}" for letter in "QWERTYUIOP"),
            "BracketLeft",
            "BracketRight",
            *(f"Key{letter}" for letter in "ASDFGHJKL"),
            "Semicolon",
            "Quote",
            *(f"Key{letter}" for letter in "ZXCVBNM"),
            "Comma",
            "Period",
        ],
        strict=True,
    )
)
JCUKEN.update({"ҳ": JCUKEN["х"], "ғ": JCUKEN["г"]})
LAYOUTS = {"en": QWERTY, "ru": JCUKEN, "tg": JCUKEN, "ky": JCUKEN}


def keys_language(language: str | None = None) -> str:
    """The language whose keys a grid uses: the interface language, or English if it has none."""
    code = language_code(language)
    return code if code in PAPER_KEYS else "en"


def status_keys(language: str | None = None) -> dict[str, str]:
    """status → key for `language` (the active one by default)."""
    return PAPER_KEYS[keys_language(language)]


def key_statuses(language: str | None = None) -> dict[str, str]:
    """Every character that types a status in `language` (keys and aliases, lower case) → status."""
    language = keys_language(language)
    statuses = {key: status for status, key in PAPER_KEYS[language].items()}
    for alias, letter in ALIASES.get(language, {}).items():
        statuses[alias] = statuses[letter]
    return statuses


def key_positions(language: str | None = None) -> dict[str, str]:
    """KeyboardEvent.code → key letter, for typing the statuses on any keyboard layout."""
    language = keys_language(language)
    layout = LAYOUTS[language]
    return {layout[key]: key for key in PAPER_KEYS[language].values()}


def status_for_key(raw: str, language: str | None = None) -> str | None:
    """The status a typed cell means in `language`: a key, an alias or a full status value; else None."""
    text = raw.strip()
    if text in AttendanceStatus.values:
        return text
    return key_statuses(language).get(text.lower())


def keymap(language: str | None = None) -> dict[str, dict[str, str]]:
    """What paper_grid.js needs: typed character → key letter, and key position → key letter."""
    language = keys_language(language)
    letters = {key: key for key in PAPER_KEYS[language].values()}
    letters.update(ALIASES.get(language, {}))
    return {"letters": letters, "positions": key_positions(language)}
