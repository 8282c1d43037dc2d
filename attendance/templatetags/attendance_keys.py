"""The paper-grid key of a status in the active language, for legends and attendance grids."""

from django import template

from attendance.paper_keys import status_keys

register = template.Library()


@register.filter
def status_key(status: str) -> str:
    """The key of a status: "present" → "P" in English, "П" in Russian, "Ҳ" in Tajik, "Б" in Kyrgyz; "" for no mark."""
    return status_keys().get(status, "").upper()
