"""Size and type limits on every upload: participant imports, Wagtail documents and images."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from accounts.roles import Role
from courses.models import Participant

pytestmark = pytest.mark.django_db

CSV_HEADER = b"full_name,latin_name,sex,year_of_birth,audience,organisation,position,region,phone\n"


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user(Role.ME_STAFF))
    return client


def test_import_refuses_a_file_that_is_not_csv_or_xlsx(staff_client):
    upload = SimpleUploadedFile("people.exe", CSV_HEADER, content_type="application/octet-stream")
    response = staff_client.post("/participants/import/", {"file": upload})
    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert not Participant.objects.exists()


def test_import_refuses_a_file_over_five_megabytes(staff_client):
    upload = SimpleUploadedFile("people.csv", CSV_HEADER + b"x" * (5 * 1024 * 1024), content_type="text/csv")
    response = staff_client.post("/participants/import/", {"file": upload})
    assert response.status_code == 200
    assert "The file is larger than 5 MB." in response.content.decode()
    assert not Participant.objects.exists()


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user(None))
    return client


def post_document(client, upload):
    return client.post(
        "/admin/documents/add/",
        {"title": "Handout", "file": upload, "collection": Collection.get_first_root_node().pk},
    )


def test_document_of_a_refused_type_is_not_stored(admin_client_):
    response = post_document(admin_client_, SimpleUploadedFile("tool.exe", b"MZ\x90\x00"))
    assert response.status_code == 200
    assert "not allowed" in response.content.decode()
    assert not Document.objects.exists()


def test_document_over_the_size_limit_is_not_stored(admin_client_, settings):
    settings.HAMKORI_DOCUMENT_MAX_UPLOAD_SIZE = 1024
    response = post_document(admin_client_, SimpleUploadedFile("handout.pdf", b"%PDF-1.4\n" + b"x" * 2048))
    assert response.status_code == 200
    assert "larger than 1.0" in response.content.decode()
    assert not Document.objects.exists()


def test_document_within_the_limits_is_stored(admin_client_):
    response = post_document(admin_client_, SimpleUploadedFile("handout.txt", b"Agenda"))
    assert response.status_code == 302
    assert Document.objects.count() == 1


def post_image(client, upload):
    return client.post(
        "/admin/images/add/",
        {"title": "Photo", "file": upload, "collection": Collection.get_first_root_node().pk},
    )


def test_image_of_a_refused_type_is_not_stored(admin_client_):
    response = post_image(admin_client_, SimpleUploadedFile("photo.svg.html", b"<script>alert(1)</script>"))
    assert response.status_code == 200
    assert not Image.objects.exists()


def test_image_over_the_size_limit_is_not_stored(admin_client_, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
        b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    response = post_image(admin_client_, SimpleUploadedFile("photo.png", png + b"\x00" * 2048))
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not Image.objects.exists()
