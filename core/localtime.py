"""Times in the region's clock: the one helper every page, export, PDF and message uses.

Sessions are stored in UTC and happen in a region: a trainer in Khujand reads 09:00, not the
server's zone or the reader's. Every local time goes through `local`/`format_local`, and a zone
is named for people ("Dushanbe time, UTC+5"), never as a raw tz name like "Asia/Dushanbe".
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# People know these zones by their capital's clock; the offset is added from the zone itself.
ZONE_NAMES = {
    "Asia/Dushanbe": _("Dushanbe time"),
    "Asia/Bishkek": _("Bishkek time"),
    "Asia/Tashkent": _("Tashkent time"),
    "Asia/Almaty": _("Almaty time"),
    "UTC": _("Universal time"),
}


def zone_of(place) -> zoneinfo.ZoneInfo:
    """The zone of a Region, Country, Delivery (its region), Session (its delivery's region) or a tz name."""
    if isinstance(place, zoneinfo.ZoneInfo):
        return place
    if isinstance(place, str):
        return zoneinfo.ZoneInfo(place)
    for path in ("delivery", "region"):
        if hasattr(place, path) and not hasattr(place, "timezone"):
            return zone_of(getattr(place, path))
    return zoneinfo.ZoneInfo(place.timezone)


def local(moment: datetime, place) -> datetime:
    """`moment` on the clock of `place` (see zone_of)."""
    return timezone.localtime(moment, zone_of(place))


def aware(day: date, clock: time, place) -> datetime:
    """A date and a wall-clock time typed for `place`, as the moment they mean there (for storing)."""
    return datetime.combine(day, clock, tzinfo=zone_of(place))


def local_date(moment: datetime, place) -> date:
    return local(moment, place).date()


def format_local(moment: datetime | None, place, fmt: str = "SHORT_DATETIME_FORMAT") -> str:
    """A moment formatted in the active language on the clock of `place`; "" for None."""
    if moment is None:
        return ""
    return formats.date_format(local(moment, place), fmt)


def _offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(place, at: datetime | None = None) -> str:
    """A readable, translated name of a zone with its offset: "Dushanbe time, UTC+5"."""
    zone = zone_of(place)
    offset = (at or timezone.now()).astimezone(zone).utcoffset() or timedelta(0)
    name = ZONE_NAMES.get(zone.key)
    offset_text = _offset_label(offset)
    if name is None:
        return offset_text
    return _("%(zone)s, %(offset)s") % {"zone": name, "offset": offset_text}
