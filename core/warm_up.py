"""What a new app process does before it answers anyone (config/wsgi.py).

A process that has just started spent ~0.7 s of CPU on its first request (2026-12-02, one
process): importing and indexing the URLconf, Wagtail's admin included (~0.45 s), and reading each
language's translation catalogues (~0.06 s each). Under the load test that landed on the first
visitors after a start: the trainers' sign-in page took 0.7 s at p95 while three cold workers
shared two cores (issue 18). Doing it at import moves it before the server takes requests; with
gunicorn's `--preload` it is done once, before the workers fork, and they share it.

Nothing here touches the database: a connection opened before a fork would be shared by every
worker.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation


def warm_up() -> None:
    reverse("accounts:login")  # imports and indexes the whole URLconf
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Hamkori")  # reads the language's catalogues
    get_template("base.html")  # every page extends it
