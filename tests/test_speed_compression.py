"""HTML is sent compressed and hashed static files are cached for good (issue 18)."""

import importlib
import sys

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

from core.middleware import CompressionMiddleware

pytestmark = pytest.mark.django_db
ONE_YEAR = 365 * 24 * 3600


def test_a_page_asked_with_gzip_comes_back_gzipped(client):
    response = client.get("/accounts/code/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_a_page_asked_without_gzip_comes_back_plain(client):
    response = client.get("/accounts/code/")
    assert not response.has_header("Content-Encoding")


def test_streaming_responses_are_left_alone():
    request = RequestFactory().get("/", headers={"accept-encoding": "gzip"})
    middleware = CompressionMiddleware(
        lambda request: StreamingHttpResponse((b"x" * 500 for _n in range(3)), content_type="text/csv")
    )
    assert not middleware(request).has_header("Content-Encoding")


@pytest.fixture
def production_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("HAMKORI_CODE_PEPPER", "y" * 40)
    sys.modules.pop("config.settings.production", None)
    module = importlib.import_module("config.settings.production")
    yield module
    sys.modules.pop("config.settings.production", None)


def test_production_compresses_after_whitenoise_and_hashes_static_names(production_settings):
    middleware = production_settings.MIDDLEWARE
    # WhiteNoise answers static files itself (pre-compressed): compression sits below it.
    assert middleware.index("core.middleware.CompressionMiddleware") == (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    )
    assert production_settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_a_hashed_static_file_is_cached_for_at_least_a_year_in_production(production_settings, settings):
    settings.DEBUG = production_settings.DEBUG
    settings.STATIC_URL = production_settings.STATIC_URL
    for name in ("WHITENOISE_MAX_AGE", "WHITENOISE_IMMUTABLE_FILE_TEST"):
        if hasattr(production_settings, name):
            setattr(settings, name, getattr(production_settings, name))
    whitenoise = WhiteNoiseMiddleware(lambda request: None)
    # What the manifest storage maps a name to; the test storage does not hash names.
    whitenoise.get_static_url = lambda name: f"/static/{name.replace('.css', '.0123456789ab.css')}"
    headers = {}
    whitenoise.add_cache_headers(headers, "/srv/static/app.0123456789ab.css", "/static/app.0123456789ab.css")
    max_age = int(headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= ONE_YEAR
    assert "immutable" in headers["Cache-Control"]
