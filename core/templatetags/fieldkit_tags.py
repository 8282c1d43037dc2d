"""The field kit's translated strings for its scripts: `{% fieldkit_strings_script %}` prints them as a
JSON block with the id `fieldkit-strings` (a JSON block, not a script: the CSP allows it)."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core import fieldkit

register = template.Library()


@register.simple_tag
def fieldkit_strings_script() -> SafeString:
    """The block every signed-in page carries, written once per language by each process.

    The words depend only on the language (the catalogues are read once per process) and the
    sign-in address on the script prefix, so printing them afresh on every page, about forty
    translations and a reverse, was work without a result (issue 18).
    """
    return _strings_script(get_language(), get_script_prefix())


@lru_cache(maxsize=32)
def _strings_script(language: str, script_prefix: str) -> SafeString:
    # Both arguments are the key: they are what the active language and reverse() read.
    return json_script({**fieldkit.strings(), "login_url": reverse("accounts:login")}, "fieldkit-strings")
