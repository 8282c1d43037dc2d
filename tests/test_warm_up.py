"""A new app process loads what its first request would (core/warm_up.py), without the database."""

import io

import pytest
from django.test import RequestFactory
from django.utils import translation

from core.warm_up import warm_up


def test_warming_up_never_touches_the_database():
    """No django_db mark: pytest-django refuses any query here, so one would fail the test. With
    gunicorn's --preload the warm-up runs before the fork, where a connection must not exist."""
    warm_up()


def test_warming_up_leaves_the_language_as_it_found_it():
    translation.activate("ky")
    try:
        warm_up()
        assert translation.get_language() == "ky"
    finally:
        translation.deactivate()


@pytest.mark.django_db
def test_the_wsgi_application_serves_after_warming_up():
    from config.wsgi import application

    environ = RequestFactory()._base_environ(PATH_INFO="/accounts/code/", REQUEST_METHOD="GET")
    environ["wsgi.input"] = io.BytesIO(b"")
    statuses = []
    body = b"".join(application(environ, lambda status, headers, *rest: statuses.append(status)))
    assert statuses == ["200 OK"]
    assert b'name="code"' in body
