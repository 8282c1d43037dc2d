"""Pages that only name a delivery's course read the course's title columns, not the whole Wagtail
page (curriculum.selectors.course_fields_not_for_title), and never come back for the rest."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from attendance.tests.factories import make_roster
from curriculum.tests.factories import make_course

pytestmark = pytest.mark.django_db


def _page_columns_read(queries) -> list[list[str]]:
    """For each statement that reads Wagtail's page table: the page columns it selects."""
    reads = []
    for query in queries.captured_queries:
        if '"wagtailcore_page"' in query["sql"]:
            select_list = query["sql"].split(" FROM ", 1)[0]
            reads.append(re.findall(r'"wagtailcore_page"\."(\w+)"', select_list))
    return reads


@pytest.mark.parametrize("page", ["delivery", "roster"])
def test_the_course_is_read_once_for_its_title(client, make_user, page):
    trainer = make_user(Role.TRAINER)
    roster = make_roster(2, trainers=[trainer], course=make_course(title="Policing with the community"))
    url = (
        reverse("courses:delivery_detail", args=[roster.delivery.pk])
        if page == "delivery"
        else reverse("attendance:session", args=[roster.session.pk])
    )
    client.force_login(trainer)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "Policing with the community" in response.text
    reads = _page_columns_read(queries)
    assert len(reads) == 1, reads  # with the delivery; no second read of a deferred column
    assert set(reads[0]) <= {"id", "title", "translation_key", "locale_id"}, reads[0]
