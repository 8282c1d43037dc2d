"""The field kit's translated strings for its scripts: `{% fieldkit_strings as words %}`, then
`{{ words|json_script:"fieldkit-strings" }}` (a JSON block, not a script: the CSP allows it)."""

from django import template
from django.urls import reverse

from core import fieldkit

register = template.Library()


@register.simple_tag
def fieldkit_strings() -> dict:
    return {**fieldkit.strings(), "login_url": reverse("accounts:login")}
