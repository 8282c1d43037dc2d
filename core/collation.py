"""Names in the order their readers expect: Ғ after Г, Қ after К, Ҷ after Ч, Ң after Н, Ө after О …

Databases sort by code point (SQLite) or by the server's locale (PostgreSQL), and both put the
Tajik and Kyrgyz letters after Я. A stored key fixes that in one place: `sort_key` writes each
letter as its two-digit position in one Cyrillic alphabet that fits Russian, Tajik and Kyrgyz
alike (no two of these languages order a shared letter differently), then the Latin alphabet.

Digits, because "0"–"9" compare the same under every collation a PostgreSQL server may be set up
with (a key of letters would be reordered by the locale again) and under SQLite's byte order, so
one key sorts alike on both and an index on it serves a paginated list.

One key, one order: Cyrillic readers (ru, tg, ky) get Cyrillic names, then Latin ones. An English
reader expects Latin first; `reader_order` puts the names whose key starts with a Latin letter
first for them, and sorts by the same key within each script, so no second column is kept.
"""

import unicodedata

from django.db.models import Case, F, IntegerField, OrderBy, Q, Value, When
from django.utils.translation import get_language

# The letters in order, one code point each (NFC); the ones no national alphabet here shares
# (ә ґ є і ї ў ұ һ) sit beside the letter they are read with.
CYRILLIC = list("аәбвгґғдеєёжзиіїӣйкқлмнңоөпрстуӯўүұфхҳһцчҷшщъыьэюя")
LATIN = list("abcdefghijklmnopqrstuvwxyz")
DIGITS = list("0123456789")

# Two digits per letter: 00 ends a word, 01–10 digits, then Cyrillic, then Latin; 99 anything else.
WORD_BREAK = "00"
UNKNOWN = "99"
_CODES: dict[str, str] = {}
for _position, _symbol in enumerate([*DIGITS, *CYRILLIC, *LATIN], start=1):
    _CODES[_symbol] = f"{_position:02d}"
LATIN_FIRST_CODE = _CODES["a"]
LATIN_LAST_CODE = _CODES["z"]
# Characters that separate words; other punctuation (apostrophes, dots) is skipped.
_BREAKS = {" ", "-", "‐", "‑", "–", "—", "_", "\t", "\n", "\r", "\u00a0"}

SORT_KEY_LENGTH = 400


def _code(character: str) -> str | None:
    code = _CODES.get(character)
    if code is not None:
        return code
    if unicodedata.category(character)[0] not in "LN":
        return None
    # é → e, ö → o: a Latin letter with a mark sorts with its base letter. Cyrillic letters with
    # marks (й, ё, ӣ, ӯ) are letters of their own and are found above before this.
    base = unicodedata.normalize("NFKD", character)[:1]
    return _CODES.get(base, UNKNOWN)


def sort_key(name: str) -> str:
    """The stored sort key of a name: case-folded, each letter its alphabet position, words apart.

    >>> sort_key("Ғафуров") > sort_key("Гусейнов") and sort_key("Ғафуров") < sort_key("Давлатов")
    True
    """
    codes: list[str] = []
    for character in unicodedata.normalize("NFC", name).casefold():
        if character in _BREAKS or character.isspace():
            if codes and codes[-1] != WORD_BREAK:
                codes.append(WORD_BREAK)
            continue
        code = _code(character)
        if code is not None:
            codes.append(code)
    while codes and codes[-1] == WORD_BREAK:
        codes.pop()
    return "".join(codes)[:SORT_KEY_LENGTH]


def latin_first(language: str | None = None) -> bool:
    """Whether the reader's alphabet is Latin (English), so Latin-written names come first."""
    return (language or get_language() or "en").split("-")[0] == "en"


def reader_order(prefix: str = "", *, language: str | None = None) -> list:
    """order_by() terms for people by name in the reader's alphabet, `prefix` for related lookups
    ("participant__"); add a tie-breaker (pk) after them."""
    key = f"{prefix}name_sort_key"
    terms: list = []
    if latin_first(language):
        starts_latin = Q(**{f"{key}__gte": LATIN_FIRST_CODE, f"{key}__lt": f"{int(LATIN_LAST_CODE) + 1:02d}"})
        terms.append(
            OrderBy(Case(When(starts_latin, then=Value(0)), default=Value(1), output_field=IntegerField()))
        )
    terms.append(F(key).asc())
    return terms


def reader_sort_key(key: str, *, language: str | None = None) -> tuple:
    """The same order in Python, for lists sorted after they are read: sorted(…, key=…)."""
    starts_latin = LATIN_FIRST_CODE <= key[:2] <= LATIN_LAST_CODE
    return (0 if starts_latin or not latin_first(language) else 1, key)
