"""The certificates page of a delivery takes a fixed number of queries whatever its size (issue 18)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from assessments.models import Certificate
from attendance.tests.factories import make_roster

pytestmark = pytest.mark.django_db


def certificate_page_queries(client, trainer, size: int) -> int:
    roster = make_roster(size, trainers=[trainer])
    for participant in roster.participants[::2]:
        Certificate.objects.create(delivery=roster.delivery, participant=participant)
    url = f"/deliveries/{roster.delivery.pk}/certificates/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"<tr") >= size
    return len(queries)


def test_certificates_page_queries_do_not_grow_with_participants(client, make_user):
    trainer = make_user(Role.TRAINER)
    client.force_login(trainer)
    small = certificate_page_queries(client, trainer, 3)
    large = certificate_page_queries(client, trainer, 25)
    assert small == large, f"{small} queries for 3 participants, {large} for 25"
