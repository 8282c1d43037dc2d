"""iCalendar feeds, parsed back: zones, stable UIDs, SEQUENCE and cancelled sessions."""

import datetime
from datetime import UTC

import pytest
from icalendar import Calendar

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses import services
from courses.tests.factories import DeliveryFactory, SessionFactory, region

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.fixture
def sughd_delivery():
    delivery = DeliveryFactory(region=region("TJ-SU"))
    SessionFactory(
        delivery=delivery,
        starts_at=datetime.datetime(2026, 12, 1, 4, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 12, 1, 7, tzinfo=UTC),
    )
    return delivery


def test_delivery_feed_is_in_the_regions_zone_with_a_vtimezone(client, sughd_delivery):
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(f"/deliveries/{sughd_delivery.pk}/calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Dushanbe"]
    (event,) = _events(response.content)
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Asia/Dushanbe"
    assert (start.hour, start.minute) == (9, 0)
    assert start.astimezone(UTC) == datetime.datetime(2026, 12, 1, 4, tzinfo=UTC)
    assert event["STATUS"] == "CONFIRMED"


def test_uid_is_stable_and_sequence_rises_on_change_and_cancel(client, sughd_delivery):
    client.force_login(user_with_role(Role.ME_STAFF))
    url = f"/deliveries/{sughd_delivery.pk}/calendar.ics"
    (before,) = _events(client.get(url).content)
    session = sughd_delivery.sessions.get()
    services.session_update(session=session, title="Рӯзи аввал")
    (changed,) = _events(client.get(url).content)
    services.session_cancel(session=session)
    (cancelled,) = _events(client.get(url).content)
    assert before["UID"] == changed["UID"] == cancelled["UID"]
    assert [before["SEQUENCE"], changed["SEQUENCE"], cancelled["SEQUENCE"]] == [0, 1, 2]
    assert str(changed["SUMMARY"]) == "Рӯзи аввал"
    assert cancelled["STATUS"] == "CANCELLED"


def test_trainer_feed_by_token_lists_only_their_sessions_and_revoking_ends_it(client):
    trainer = user_with_role(Role.TRAINER)
    mine = DeliveryFactory(region=region("KG-O"), trainers=[trainer])
    SessionFactory(
        delivery=mine,
        starts_at=datetime.datetime(2026, 12, 2, 3, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 12, 2, 6, tzinfo=UTC),
    )
    SessionFactory(delivery=DeliveryFactory())
    feed = services.calendar_feed_rotate(user=trainer)
    response = client.get(f"/calendar/{feed.token}.ics")  # calendar apps do not log in
    (event,) = _events(response.content)
    assert event["DTSTART"].params["TZID"] == "Asia/Bishkek"
    assert event.decoded("DTSTART").hour == 9
    old_token = feed.token
    services.calendar_feed_rotate(user=trainer)
    assert client.get(f"/calendar/{old_token}.ics").status_code == 404
    services.calendar_feed_revoke(user=trainer)
    assert client.get("/calendar/anything.ics").status_code == 404


def test_trainer_manages_their_link_on_the_calendar_page(client):
    trainer = user_with_role(Role.TRAINER)
    client.force_login(trainer)
    assert client.get("/calendar/").status_code == 200
    client.post("/calendar/", {"action": "rotate"})
    first = trainer.calendar_feed.token
    page = client.get("/calendar/").content.decode()
    assert f"/calendar/{first}.ics" in page
    client.post("/calendar/", {"action": "revoke"})
    assert client.get(f"/calendar/{first}.ics").status_code == 404


def test_trainee_has_no_calendar_link_page(client):
    client.force_login(user_with_role(Role.TRAINEE))
    assert client.get("/calendar/").status_code == 403
