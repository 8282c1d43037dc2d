"""iCalendar feeds of sessions: a delivery's, and a trainer's personal feed.

Each event carries its region's zone as TZID with a VTIMEZONE, a UID that never
changes for a session, SEQUENCE from Session.sequence, and STATUS:CANCELLED for
a cancelled session, so calendar apps update or strike out their copy.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from core.localtime import local

from .models import Session

PRODID = "-//Hamkori//Scheduling//EN"


def session_uid(session: Session) -> str:
    domain = getattr(settings, "HAMKORI_CALENDAR_DOMAIN", "hamkori.example.org")
    return f"session-{session.pk}@{domain}"


def sessions_calendar(sessions: Iterable[Session], *, name: str, base_url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        delivery = session.delivery
        event = Event()
        event.add("uid", session_uid(session))
        event.add("summary", session.title or delivery.course.title)
        event.add("dtstart", local(session.starts_at, delivery.region))
        event.add("dtend", local(session.ends_at, delivery.region))
        event.add("dtstamp", session.updated_at or timezone.now())
        event.add("sequence", session.sequence)
        event.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
        venue = session.venue or delivery.venue
        location = ", ".join(part for part in (venue and venue.name, venue and venue.address) if part)
        event.add("location", location or delivery.region.name_in(delivery.language))
        if base_url:
            event.add("url", f"{base_url}/deliveries/{delivery.pk}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
