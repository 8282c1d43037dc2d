"""Curriculum URLs outside Wagtail's page routing: the catalogue's name for the navigation, and printed PDFs.

PDF addresses are the page's own URL plus a file name (…/print.pdf), which
Wagtail's page URL pattern cannot match because of the dot.
"""

from django.urls import path, re_path

from . import views

app_name = "curriculum"

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    re_path(
        r"^(?P<page_path>courses/(?:[\w\-]+/)+)(?P<document>print|facilitator|facilitator-guide)\.pdf$",
        views.page_pdf,
        name="page_pdf",
    ),
]
