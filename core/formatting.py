"""Numbers, percentages and durations written the way the reader's language writes them.

Pages, PDFs and statements call these (templates through the `hamkori_i18n`
filters), so "29,2" reads the same on a Kyrgyz page as in a Kyrgyz PDF: the
separators come from Django's format files for the active language, with ours
in config/formats/ where Django's disagree with local use (Kyrgyz writes a
decimal comma). CSV is a machine format and does not use these (docs/reports.md).
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, ngettext

MINUTES_PER_HOUR = 60


def format_decimal(value: float | int | Decimal | None, places: int = 1, *, grouping: bool = True) -> str:
    """`value` rounded to `places` decimals, with the active language's decimal and thousands separators.

    Grouping is on by default (12 345): these are figures to read, never to parse back.
    None (no data) reads as a dash.
    """
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=grouping)


def format_percent(value: float | int | Decimal | None, places: int = 0) -> str:
    """A percentage (29.2 → "29,2%" in Russian); `value` is already in percent, not a fraction."""
    if value is None:
        return "—"
    return gettext("%(number)s%%") % {"number": format_decimal(value, places)}


def format_duration(minutes: int | None) -> str:
    """Training time in hours and minutes ("8 hours 30 minutes"), never a bare "510 minutes".

    Durations here are training time (the sum of modules or sessions), not time on the clock,
    so they are never turned into days: 40 training hours are a week of courses, and
    "1 day 16 hours" would mislead a planner.
    """
    if minutes is None:
        return "—"
    minutes = int(minutes)
    hours, rest = divmod(minutes, MINUTES_PER_HOUR)
    minute_text = ngettext("%(counter)s minute", "%(counter)s minutes", rest) % {"counter": rest}
    if not hours:
        return minute_text
    hour_text = ngettext("%(counter)s hour", "%(counter)s hours", hours) % {
        "counter": format_decimal(hours, 0)
    }
    if not rest:
        return hour_text
    return gettext("%(hours)s %(minutes)s") % {"hours": hour_text, "minutes": minute_text}
