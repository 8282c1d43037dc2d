"""Which language a reader gets when the text they asked for is not written in theirs.

One rule for the whole site (DESIGN.md, "Languages"): a Tajik or Kyrgyz reader
reads Russian before English, because every reader of those languages in the
programme reads Russian and far fewer read English. Page routing, the
catalogue, course and module pages and any name with translations choose
through `best_language` / `best_translation`, never with their own ordering.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.utils.translation import get_language

T = TypeVar("T")

# Reader's language → languages to try, best first.
FALLBACKS: dict[str, list[str]] = {
    "tg": ["tg", "ru", "en"],
    "ky": ["ky", "ru", "en"],
    "ru": ["ru", "en"],
    "en": ["en"],
}


def language_code(code: str | None = None) -> str:
    """The base code of a language ("ru" for "ru-ru"); the active language when none is given."""
    return (code or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def fallback_chain(language: str | None = None) -> list[str]:
    """The languages to try for a reader of `language`, best first; ends with every other language.

    The tail (languages outside the chain) keeps a text that exists in none of the
    preferred languages reachable rather than hiding it.
    """
    language = language_code(language)
    chain = list(FALLBACKS.get(language, [language, settings.LANGUAGE_CODE]))
    others = [code for code, _name in settings.LANGUAGES if code not in chain]
    return chain + others


def rank(available_language: str, language: str | None = None) -> int:
    """Position of `available_language` in the reader's chain: 0 is their own, lower is better."""
    chain = fallback_chain(language)
    code = language_code(available_language)
    return chain.index(code) if code in chain else len(chain)


def best_language(available: Iterable[str], language: str | None = None) -> str | None:
    """Of the languages a text exists in, the one to show a reader of `language`."""
    available = list(available)
    if not available:
        return None
    return min(available, key=lambda code: rank(code, language))


def best_translation(
    items: Iterable[T], language: str | None = None, *, language_of: Callable[[T], str] | None = None
) -> T | None:
    """Of several translations of one thing, the one a reader of `language` should get.

    `language_of` reads an item's language; by default a Wagtail page's or
    snippet's `locale.language_code`. Ties (never expected) keep the first item.
    """
    language_of = language_of or (lambda item: item.locale.language_code)
    best = None
    best_rank = None
    for item in items:
        item_rank = rank(language_of(item), language)
        if best_rank is None or item_rank < best_rank:
            best, best_rank = item, item_rank
    return best


def translated_name(names: dict[str, str], language: str | None = None) -> str:
    """A name given per language ({"en": "Sughd", "ru": "Согд"}), in the reader's best language."""
    present = [code for code, name in names.items() if name]
    chosen = best_language(present, language)
    return names[chosen] if chosen else ""


def differs_from_page(content_language: str | None, page_language: str | None = None) -> bool:
    """True when text in `content_language` sits on a page in another language and so needs `lang`."""
    if not content_language:
        return False
    return language_code(content_language) != language_code(page_language)
