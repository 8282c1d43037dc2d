"""The check-in QR is cached by the trainer's browser only, and revalidates by its code (issue 18)."""

import pytest
from django.test import override_settings

from accounts.roles import Role
from attendance.models import CheckInCode
from attendance.services import check_in_code_for

from .factories import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def roster(trainer):
    return make_roster(2, trainers=[trainer])


def qr_url(roster) -> str:
    return f"/sessions/{roster.session.pk}/attendance/check-in-qr.svg"


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_qr_is_privately_cacheable_and_never_no_store(client, trainer, roster):
    client.force_login(trainer)
    response = client.get(qr_url(roster))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "private" in directives(response)
    assert any(directive.startswith("max-age=") for directive in directives(response))
    assert not {"no-store", "no-cache", "public"} & directives(response)
    assert response["ETag"]


def test_the_roster_page_itself_still_says_no_store(client, trainer, roster):
    client.force_login(trainer)
    response = client.get(f"/sessions/{roster.session.pk}/attendance/")
    assert response.status_code == 200
    assert "no-store" in directives(response)


def test_a_matching_etag_is_answered_304_without_a_body(client, trainer, roster):
    client.force_login(trainer)
    etag = client.get(qr_url(roster))["ETag"]
    response = client.get(qr_url(roster), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert "private" in directives(response)


def test_the_weak_etag_after_gzip_still_matches(client, trainer, roster):
    client.force_login(trainer)
    sent = client.get(qr_url(roster), headers={"accept-encoding": "gzip"})
    assert sent.get("Content-Encoding") == "gzip"
    assert len(sent.content) < 3000, len(sent.content)
    response = client.get(qr_url(roster), headers={"if-none-match": sent["ETag"], "accept-encoding": "gzip"})
    assert response.status_code == 304


def test_a_new_code_is_a_new_etag(client, trainer, roster):
    client.force_login(trainer)
    old_etag = client.get(qr_url(roster))["ETag"]
    CheckInCode.objects.filter(session=roster.session).delete()
    new_code = check_in_code_for(session=roster.session)
    response = client.get(qr_url(roster), headers={"if-none-match": old_etag})
    assert response.status_code == 200
    assert response["ETag"] != old_etag
    assert b"<svg" in response.content
    assert new_code.pk


def test_someone_else_gets_no_qr_and_no_304(client, make_user, roster, trainer):
    client.force_login(trainer)
    etag = client.get(qr_url(roster))["ETag"]
    client.force_login(make_user(Role.TRAINER))
    response = client.get(qr_url(roster), headers={"if-none-match": etag})
    assert response.status_code == 404


@override_settings(MEDIA_URL="/media/")
def test_only_media_images_and_private_responses_escape_no_store():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from core.middleware import _keeps_own_caching

    factory = RequestFactory()
    image = HttpResponse(b"", content_type="image/jpeg")
    assert _keeps_own_caching(factory.get("/media/images/a.jpg"), image)
    assert not _keeps_own_caching(factory.get("/media/documents/a.pdf"), HttpResponse(b"", "application/pdf"))
    assert not _keeps_own_caching(factory.get("/my/"), HttpResponse(b"<p>"))
    shared = HttpResponse(b"")
    shared["Cache-Control"] = "public, max-age=60"
    assert not _keeps_own_caching(factory.get("/my/"), shared)
