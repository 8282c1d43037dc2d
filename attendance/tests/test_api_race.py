"""Two copies of one offline batch arriving at once (a phone retrying while the first is in flight):
one applies, the other answers with its result; no duplicate history. PostgreSQL only: SQLite
runs one writer at a time, so there is no race to test there (make test-postgres)."""

import json
import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.models import AttendanceChange, AttendanceRecord, SyncBatch

from .factories import make_roster

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers: no race"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 5


def test_two_copies_of_a_batch_at_once_apply_once():
    trainer = user_with_role(Role.TRAINER)
    roster = make_roster(20, trainers=[trainer])
    for round_number in range(ROUNDS):
        body = json.dumps(
            {
                "idempotency_key": f"race-round-{round_number}",
                "marks": [
                    {
                        "session": roster.session.pk,
                        "participant": participant.pk,
                        "status": ("present", "late")[round_number % 2],
                        "note": "",
                        "taken_at": "2020-01-01T09:00:00+05:00"
                        if round_number == 0
                        else f"2099-01-01T09:0{round_number}:00Z",
                    }
                    for participant in roster.participants
                ],
            }
        )
        start = threading.Barrier(2)
        answers, errors = [], []

        def send(body=body, start=start, answers=answers, errors=errors):
            try:
                client = APIClient()
                client.force_login(trainer)
                start.wait(timeout=10)
                response = client.post("/api/v1/attendance/batches/", body, content_type="application/json")
                answers.append((response.status_code, response.json()))
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert [status for status, _body in answers] == [200, 200]
        assert sorted(body["replayed"] for _status, body in answers) == [False, True]
        first, second = (body["results"] for _status, body in answers)
        assert first == second
    assert SyncBatch.objects.count() == ROUNDS
    assert AttendanceRecord.objects.filter(session=roster.session).count() == 20
    # One change per person and round: round 0 creates, every later round changes the status.
    assert AttendanceChange.objects.filter(session=roster.session).count() == 20 * ROUNDS
