"""/api/v1/ for attendance (issue 13, docs/api.md): a trainer's sessions, a roster, batches of offline marks."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import Role
from attendance import api
from attendance.models import AttendanceChange, AttendanceRecord, AttendanceSource, SyncBatch
from attendance.services import Mark, attendance_marks_save
from courses.models import Enrolment, Region, Session
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, SessionFactory

from .factories import make_roster

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/attendance/batches/"


def iso(moment) -> str:
    return moment.isoformat()


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def roster(trainer):
    return make_roster(3, trainers=[trainer], starts_in=timedelta(hours=1))


def send(client, body, **headers):
    return client.post(BATCH, json.dumps(body), content_type="application/json", **headers)


def csrf_send(client, body):
    client.get(reverse("attendance:today"))  # any page with a form sets the cookie, as in the browser
    token = client.cookies["csrftoken"].value
    return send(client, body, HTTP_X_CSRFTOKEN=token)


def mark(session, participant, status="present", *, taken_at=None, note=""):
    return {
        "session": session.pk,
        "participant": participant.pk,
        "status": status,
        "note": note,
        "taken_at": iso(taken_at or timezone.now() - timedelta(minutes=5)),
    }


@pytest.fixture
def client_as(trainer):
    """A client signed in as someone, without CSRF checks (those have their own tests)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


# Contract -------------------------------------------------------------------------------------------


def test_contract_urls():
    assert reverse("api:my_sessions") == "/api/v1/me/sessions/"
    assert reverse("api:session_roster", kwargs={"pk": 7}) == "/api/v1/sessions/7/roster/"
    assert reverse("api:attendance_batch") == BATCH


def test_my_sessions_lists_todays_and_the_weeks_sessions_with_the_contract_fields(client_as, trainer, roster):
    AttendanceRecord.objects.create(
        session=roster.session,
        participant=roster.participants[0],
        status="present",
        source="web",
        recorded_at=timezone.now(),
    )
    response = client_as(trainer).get(reverse("api:my_sessions"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    [row] = response.json()["sessions"]
    assert set(row) == {
        "id",
        "delivery_id",
        "course_title",
        "starts_at",
        "local_day",
        "local_time",
        "zone_label",
        "venue",
        "is_today",
        "enrolled",
        "marked",
        "roster_url",
        "api_roster_url",
    }
    assert row["id"] == roster.session.pk
    assert row["delivery_id"] == roster.delivery.pk
    assert row["starts_at"].endswith("Z")
    assert (row["enrolled"], row["marked"]) == (3, 1)
    assert row["roster_url"] == f"/sessions/{roster.session.pk}/attendance/"
    assert row["api_roster_url"] == f"/api/v1/sessions/{roster.session.pk}/roster/"
    assert len(row["local_time"]) == 5 and row["local_time"][2] == ":"
    assert "UTC+5" in row["zone_label"]


def test_my_sessions_query_count_does_not_grow_with_sessions(client_as, trainer):
    def count(sessions: int) -> int:
        roster = make_roster(4, trainers=[trainer], starts_in=timedelta(hours=1))
        for day in range(1, sessions):
            SessionFactory(
                delivery=roster.delivery,
                starts_at=roster.session.starts_at + timedelta(days=day % 6),
                ends_at=roster.session.starts_at + timedelta(days=day % 6, hours=2),
            )
        client = client_as(trainer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("api:my_sessions")).status_code == 200
        return len(queries)

    assert count(2) == count(12)


def test_roster_has_rows_statuses_and_versions(client_as, trainer, roster):
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=roster.participants[1].pk, status="late", note="bus")],
        recorded_by=trainer,
        source=AttendanceSource.WEB,
    )
    body = client_as(trainer).get(reverse("api:session_roster", kwargs={"pk": roster.session.pk})).json()
    assert body["session"]["id"] == roster.session.pk
    assert (body["session"]["enrolled"], body["session"]["marked"]) == (3, 1)
    assert [status["code"] for status in body["statuses"]] == [
        "present",
        "late",
        "left_early",
        "excused",
        "absent",
    ]
    assert body["statuses"][0]["label"] == "Present"
    rows = {row["participant_id"]: row for row in body["rows"]}
    assert set(rows) == {p.pk for p in roster.participants}
    assert rows[roster.participants[1].pk] | {"name": ""} == {
        "participant_id": roster.participants[1].pk,
        "name": "",
        "status": "late",
        "note": "bus",
        "version": 1,
    }
    assert rows[roster.participants[0].pk]["status"] == "" and rows[roster.participants[0].pk]["version"] == 0


def test_roster_labels_in_the_users_language(client_as, trainer, roster):
    client = client_as(trainer)
    body = client.get(
        reverse("api:session_roster", kwargs={"pk": roster.session.pk}), HTTP_ACCEPT_LANGUAGE="ru"
    ).json()
    assert body["statuses"][0]["label"] == "Присутствует"


def test_roster_query_count_does_not_grow_with_people(client_as, trainer):
    def count(size: int) -> int:
        roster = make_roster(size, trainers=[trainer])
        client = client_as(trainer)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("api:session_roster", kwargs={"pk": roster.session.pk})).status_code == 200
            )
        return len(queries)

    assert count(5) == count(30)


# Who may use it ------------------------------------------------------------------------------------


@pytest.fixture
def scoped(make_user, roster):
    """The roster in Sughd (TJ-SU); people of every role, some in another region or delivery."""
    own_region = roster.delivery.region
    other_region = Region.objects.exclude(pk=own_region.pk).first()
    own_coordinator, other_coordinator = (
        make_user(Role.REGIONAL_COORDINATOR),
        make_user(Role.REGIONAL_COORDINATOR),
    )
    own_region.coordinators.add(own_coordinator)
    other_region.coordinators.add(other_coordinator)
    other_trainer = make_user(Role.TRAINER)
    DeliveryFactory(trainers=[other_trainer])
    trainee = make_user(Role.TRAINEE)
    roster.participants[0].user = trainee
    roster.participants[0].save()
    return {
        "staff": make_user(None),
        "me_staff": make_user(Role.ME_STAFF),
        "own_coordinator": own_coordinator,
        "other_coordinator": other_coordinator,
        "other_trainer": other_trainer,
        "trainee": trainee,
        "editor": make_user(Role.CURRICULUM_EDITOR),
    }


def test_anonymous_is_refused_with_401_and_a_detail(client_as, roster):
    client = client_as(None)
    for response in (
        client.get(reverse("api:my_sessions")),
        client.get(reverse("api:session_roster", kwargs={"pk": roster.session.pk})),
        send(client, {"idempotency_key": "abcdefgh", "marks": []}),
    ):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    assert not SyncBatch.objects.exists()


@pytest.mark.parametrize(
    ("who", "sessions", "roster_status", "batch_status"),
    [
        ("staff", 200, 200, 200),
        ("me_staff", 200, 200, 200),
        ("own_coordinator", 200, 200, 200),
        ("other_coordinator", 200, 404, 200),
        ("other_trainer", 200, 404, 200),
        ("trainee", 403, 404, 403),
        ("editor", 403, 404, 403),
    ],
)
def test_each_role_gets_the_rosters_scope(
    client_as, roster, scoped, who, sessions, roster_status, batch_status
):
    client = client_as(scoped[who])
    assert client.get(reverse("api:my_sessions")).status_code == sessions
    assert (
        client.get(reverse("api:session_roster", kwargs={"pk": roster.session.pk})).status_code
        == roster_status
    )
    response = send(
        client, {"idempotency_key": f"key-{who}", "marks": [mark(roster.session, roster.participants[0])]}
    )
    assert response.status_code == batch_status
    if batch_status == 200:
        [row] = response.json()["results"]
        # Only those who may open the roster may mark it; the others' rows are refused, not saved.
        assert row["outcome"] == ("saved" if roster_status == 200 else "refused")
    expected = 1 if roster_status == 200 and batch_status == 200 else 0
    assert AttendanceRecord.objects.filter(session=roster.session).count() == expected


def test_roster_of_another_trainers_session_shows_no_names(client_as, scoped, roster):
    response = client_as(scoped["other_trainer"]).get(
        reverse("api:session_roster", kwargs={"pk": roster.session.pk})
    )
    assert response.status_code == 404
    assert roster.participants[0].full_name not in response.content.decode()


def test_other_trainers_refused_row_says_why(client_as, scoped, roster):
    response = send(
        client_as(scoped["other_trainer"]),
        {"idempotency_key": "other-trainer", "marks": [mark(roster.session, roster.participants[0])]},
    )
    assert response.json()["results"][0]["reason"] == str(api.NOT_YOUR_SESSION)


# Session authentication with CSRF, and tokens --------------------------------------------------------


def test_session_auth_post_without_csrf_token_is_refused(trainer, roster):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(trainer)
    response = send(
        client, {"idempotency_key": "no-csrf-1", "marks": [mark(roster.session, roster.participants[0])]}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not AttendanceRecord.objects.exists() and not SyncBatch.objects.exists()


def test_session_auth_post_with_csrf_header_is_accepted(trainer, roster):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(trainer)
    response = csrf_send(
        client, {"idempotency_key": "with-csrf-1", "marks": [mark(roster.session, roster.participants[0])]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["saved"] == 1


def test_token_auth_needs_no_csrf(trainer, roster):
    token = Token.objects.create(user=trainer)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(reverse("api:my_sessions")).status_code == 200
    response = send(
        client, {"idempotency_key": "token-batch", "marks": [mark(roster.session, roster.participants[0])]}
    )
    assert response.status_code == 200
    assert response.json()["saved"] == 1


def test_wrong_token_is_401_in_json(roster):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(reverse("api:my_sessions"), HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_browsable_api_only_for_programme_staff(client_as, trainer, make_user):
    html = {"HTTP_ACCEPT": "text/html"}
    assert client_as(trainer).get(reverse("api:my_sessions"), **html)["Content-Type"] == "application/json"
    assert (
        client_as(make_user(None))
        .get(reverse("api:my_sessions"), **html)["Content-Type"]
        .startswith("text/html")
    )


# Batches -------------------------------------------------------------------------------------------


def test_batch_saves_marks_with_source_offline_and_when_they_were_taken(client_as, trainer, roster):
    taken = timezone.now() - timedelta(minutes=30)
    first, second, _third = roster.participants
    body = {
        "idempotency_key": "batch-0001",
        "marks": [
            mark(roster.session, first, "present", taken_at=taken),
            mark(roster.session, second, "late", taken_at=taken, note="  bus  "),
        ],
    }
    response = send(client_as(trainer), body)
    assert response.status_code == 200
    assert response.json() == {
        "idempotency_key": "batch-0001",
        "replayed": False,
        "saved": 2,
        "refused": 0,
        "results": [
            {
                "index": 0,
                "session": roster.session.pk,
                "participant": first.pk,
                "outcome": "saved",
                "reason": "",
            },
            {
                "index": 1,
                "session": roster.session.pk,
                "participant": second.pk,
                "outcome": "saved",
                "reason": "",
            },
        ],
    }
    record = AttendanceRecord.objects.get(participant=second)
    assert (record.status, record.note, record.source, record.recorded_by) == (
        "late",
        "bus",
        "offline",
        trainer,
    )
    assert record.taken_at == taken.replace(microsecond=record.taken_at.microsecond)
    change = AttendanceChange.objects.get(participant=second)
    assert change.source == AttendanceSource.OFFLINE and change.taken_at == record.taken_at


def test_replay_returns_the_first_answer_and_writes_nothing(client_as, trainer, roster):
    client = client_as(trainer)
    body = {"idempotency_key": "replay-01", "marks": [mark(roster.session, roster.participants[0], "absent")]}
    first = send(client, body).json()
    changes = AttendanceChange.objects.count()
    with CaptureQueriesContext(connection) as queries:
        again = send(client, body)
    assert again.status_code == 200
    assert again.json() == {**first, "replayed": True}
    assert AttendanceChange.objects.count() == changes
    assert SyncBatch.objects.count() == 1
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_same_key_with_other_marks_is_a_conflict(client_as, trainer, roster):
    client = client_as(trainer)
    send(client, {"idempotency_key": "reused-key", "marks": [mark(roster.session, roster.participants[0])]})
    response = send(
        client, {"idempotency_key": "reused-key", "marks": [mark(roster.session, roster.participants[1])]}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == str(api.KEY_REUSED)
    assert not AttendanceRecord.objects.filter(participant=roster.participants[1]).exists()


def test_same_key_of_another_user_is_their_own_batch(client_as, trainer, roster, make_user):
    colleague = make_user(Role.TRAINER)
    roster.delivery.trainers.add(colleague)
    body = {"idempotency_key": "shared-key", "marks": [mark(roster.session, roster.participants[0])]}
    send(client_as(trainer), body)
    response = send(client_as(colleague), {**body, "marks": [mark(roster.session, roster.participants[1])]})
    assert response.json()["replayed"] is False and response.json()["saved"] == 1


def test_two_copies_racing_apply_once(client_as, trainer, roster, monkeypatch):
    """The second copy passed the first look-up before the first committed: the unique constraint stops it."""
    client = client_as(trainer)
    body = {"idempotency_key": "race-copy", "marks": [mark(roster.session, roster.participants[0])]}
    first = send(client, body).json()
    monkeypatch.setattr(api, "stored_batch", lambda **kwargs: None)
    changes = AttendanceChange.objects.count()
    again = send(client, body)
    assert again.status_code == 200
    assert again.json() == {**first, "replayed": True}
    assert AttendanceChange.objects.count() == changes
    assert SyncBatch.objects.count() == 1


def test_unchanged_superseded_and_refused_rows(client_as, trainer, roster, make_user):
    first, second, third = roster.participants
    now = timezone.now()
    attendance_marks_save(
        session=roster.session,
        marks=[
            Mark(participant_id=first.pk, status="present"),
            Mark(participant_id=second.pk, status="absent"),
        ],
        recorded_by=make_user(Role.TRAINER),
        source=AttendanceSource.WEB,
    )
    withdrawn = EnrolmentFactory(delivery=roster.delivery, status=Enrolment.Status.WITHDRAWN).participant
    stranger = ParticipantFactory()
    cancelled = SessionFactory(delivery=roster.delivery, status=Session.Status.CANCELLED)
    body = {
        "idempotency_key": "mixed-rows",
        "marks": [
            mark(roster.session, first, "present", taken_at=now - timedelta(hours=1)),  # same mark
            mark(
                roster.session, second, "late", taken_at=now - timedelta(hours=1)
            ),  # taken before the web mark
            mark(roster.session, third, "excused", taken_at=now - timedelta(hours=1)),
            mark(roster.session, withdrawn),
            mark(roster.session, stranger),
            mark(cancelled, third),
            {**mark(roster.session, third), "status": "asleep"},
            {**mark(roster.session, third), "note": "x" * 301},
            {**mark(roster.session, third), "taken_at": "yesterday"},
            {**mark(roster.session, third), "taken_at": "2026-11-30T09:00:00"},  # no offset
            {"session": "1; DROP TABLE", "participant": None},
            "not an object",
            {**mark(roster.session, third), "session": 2**70},
            {**mark(roster.session, third), "participant": True},
        ],
    }
    response = send(client_as(trainer), body)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["outcome"] for row in results] == ["unchanged", "superseded", "saved"] + ["refused"] * 11
    assert results[1]["reason"] == str(api.SUPERSEDED)
    assert (
        results[3]["reason"] == "This enrolment was withdrawn, so it can no longer be used in this delivery."
    )
    assert results[4]["reason"] == "This participant is not enrolled in this delivery."
    assert results[5]["reason"] == "This session was cancelled; attendance cannot be recorded for it."
    assert "asleep" in results[6]["reason"]
    assert results[7]["reason"] == "A note can be at most 300 characters; nothing was saved."
    assert "taken_at" in results[8]["reason"] and "taken_at" in results[9]["reason"]
    assert "session" in results[10]["reason"] and "participant" in results[10]["reason"]
    assert results[12]["session"] is None and results[13]["participant"] is None
    assert response.json()["saved"] == 1 and response.json()["refused"] == 11
    assert AttendanceRecord.objects.get(participant=second).status == "absent"
    assert AttendanceRecord.objects.get(participant=third).status == "excused"
    superseded = AttendanceChange.objects.get(participant=second, superseded=True)
    assert (superseded.old_status, superseded.new_status, superseded.source) == ("absent", "late", "offline")


def test_two_trainers_converge_to_the_later_mark_with_both_in_the_history(
    client_as, trainer, roster, make_user
):
    """Alice marks offline at 10:00 and sends at 10:10; Bekzod marked on the web at 10:05: his mark stays."""
    bekzod = make_user(Role.TRAINER)
    roster.delivery.trainers.add(bekzod)
    person = roster.participants[0]
    offline_taken = timezone.now() - timedelta(minutes=10)
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=person.pk, status="present")],
        recorded_by=bekzod,
        source=AttendanceSource.WEB,
    )
    response = send(
        client_as(trainer),
        {
            "idempotency_key": "alice-offline",
            "marks": [mark(roster.session, person, "absent", taken_at=offline_taken)],
        },
    )
    assert response.json()["results"][0]["outcome"] == "superseded"
    assert AttendanceRecord.objects.get(participant=person).status == "present"
    history = list(AttendanceChange.objects.filter(participant=person).order_by("pk"))
    assert [(c.new_status, c.source, c.changed_by, c.superseded) for c in history] == [
        ("present", "web", bekzod, False),
        ("absent", "offline", trainer, True),
    ]
    # The other way round: the phone's mark was taken after the web mark, so it wins.
    later = timezone.now()
    response = send(
        client_as(trainer),
        {"idempotency_key": "alice-later", "marks": [mark(roster.session, person, "late", taken_at=later)]},
    )
    assert response.json()["results"][0]["outcome"] == "saved"
    assert AttendanceRecord.objects.get(participant=person).status == "late"


def test_a_later_web_save_replaces_an_offline_mark(client_as, trainer, roster):
    person = roster.participants[0]
    send(
        client_as(trainer),
        {"idempotency_key": "offline-first", "marks": [mark(roster.session, person, "absent")]},
    )
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=person.pk, status="present")],
        recorded_by=trainer,
        source=AttendanceSource.WEB,
    )
    record = AttendanceRecord.objects.get(participant=person)
    assert (record.status, record.source) == ("present", "web")
    assert record.taken_at is not None


def test_the_same_person_twice_in_a_queue_ends_with_the_later_mark(client_as, trainer, roster):
    person = roster.participants[0]
    now = timezone.now()
    body = {
        "idempotency_key": "twice-queued",
        "marks": [
            mark(roster.session, person, "late", taken_at=now - timedelta(minutes=1)),
            mark(roster.session, person, "absent", taken_at=now - timedelta(minutes=9)),
            mark(roster.session, roster.participants[1], "absent", taken_at=now - timedelta(minutes=9)),
            mark(roster.session, roster.participants[1], "present", taken_at=now - timedelta(minutes=2)),
        ],
    }
    results = send(client_as(trainer), body).json()["results"]
    assert [row["outcome"] for row in results] == ["saved", "superseded", "saved", "saved"]
    assert AttendanceRecord.objects.get(participant=person).status == "late"
    record = AttendanceRecord.objects.get(participant=roster.participants[1])
    assert (record.status, record.version) == ("present", 1)
    assert AttendanceChange.objects.filter(session=roster.session).count() == 4


def test_taken_at_in_the_future_counts_as_now(client_as, trainer, roster):
    person = roster.participants[0]
    send(
        client_as(trainer),
        {
            "idempotency_key": "fast-clock",
            "marks": [mark(roster.session, person, "absent", taken_at=timezone.now() + timedelta(days=300))],
        },
    )
    assert AttendanceRecord.objects.get(participant=person).taken_at <= timezone.now()
    # So a web save right after it still wins.
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=person.pk, status="present")],
        recorded_by=trainer,
        source=AttendanceSource.WEB,
    )
    assert AttendanceRecord.objects.get(participant=person).status == "present"


# Bad requests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ('{"marks": []}', "application/json"),
        ('{"idempotency_key": "short", "marks": []}', "application/json"),
        ('{"idempotency_key": "bad key with spaces", "marks": []}', "application/json"),
        ('{"idempotency_key": 12345678, "marks": []}', "application/json"),
        ('{"idempotency_key": "abcdefgh", "marks": {}}', "application/json"),
        ('{"idempotency_key": "abcdefgh", "marks": [NaN]}', "application/json"),
        ("[" * 5000 + "]" * 5000, "application/json"),
        ("\xff\xfe", "application/json"),
    ],
)
def test_malformed_requests_are_400_with_a_detail(client_as, trainer, raw, content_type):
    response = client_as(trainer).post(BATCH, raw, content_type=content_type)
    assert response.status_code == 400, response.content
    assert isinstance(response.json()["detail"], str)
    assert not SyncBatch.objects.exists()


def test_form_encoded_body_is_415(client_as, trainer):
    response = client_as(trainer).post(BATCH, {"idempotency_key": "abcdefgh"})
    assert response.status_code == 415
    assert "detail" in response.json()


def test_more_marks_than_the_limit_is_400(client_as, trainer, roster, settings):
    settings.HAMKORI_SYNC_BATCH_MAX_MARKS = 2
    body = {"idempotency_key": "too-many-1", "marks": [mark(roster.session, p) for p in roster.participants]}
    response = send(client_as(trainer), body)
    assert response.status_code == 400
    assert response.json()["detail"] == "A batch can hold at most 2 marks; send the rest in another batch."
    assert not AttendanceRecord.objects.exists()


def test_a_body_over_the_limit_is_refused_unread(client_as, trainer, settings):
    settings.HAMKORI_SYNC_BATCH_MAX_MARKS = 1
    body = json.dumps({"idempotency_key": "too-big-01", "marks": [], "padding": "x" * 7000})
    response = client_as(trainer).post(BATCH, body, content_type="application/json")
    assert response.status_code == 413
    assert "detail" in response.json()


def test_default_limit_is_500():
    from django.conf import settings

    assert settings.HAMKORI_SYNC_BATCH_MAX_MARKS == 500


def test_key_length_is_checked_by_the_database(trainer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SyncBatch.objects.create(user=trainer, idempotency_key="short", request_digest="x")


# Speed ---------------------------------------------------------------------------------------------


def _batch_queries(client_as, trainer, size: int) -> tuple[int, dict]:
    roster = make_roster(size, trainers=[trainer])
    marked = roster.participants[: size // 2]
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=p.pk, status="absent") for p in marked],
        recorded_by=trainer,
        source=AttendanceSource.WEB,
    )
    later = timezone.now()
    body = {
        "idempotency_key": f"speed-{size}",
        "marks": [mark(roster.session, p, "present", taken_at=later) for p in roster.participants],
    }
    client = client_as(trainer)
    with CaptureQueriesContext(connection) as queries:
        response = send(client, body)
    assert response.status_code == 200
    return len(queries), response.json()


def test_batch_query_count_is_the_same_for_10_and_40_marks(client_as, trainer):
    ten, body_ten = _batch_queries(client_as, trainer, 10)
    forty, body_forty = _batch_queries(client_as, trainer, 40)
    assert (body_ten["saved"], body_forty["saved"]) == (10, 40)
    assert ten == forty, (ten, forty)
    assert forty <= 30


def test_history_page_shows_the_superseded_offline_mark_and_when_it_was_taken(
    client, trainer, roster, make_user
):
    person = roster.participants[0]
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=person.pk, status="present")],
        recorded_by=make_user(Role.TRAINER),
        source=AttendanceSource.WEB,
    )
    client_api = APIClient()
    client_api.force_login(trainer)
    send(client_api, {"idempotency_key": "history-01", "marks": [mark(roster.session, person, "absent")]})
    client.force_login(trainer)
    html = client.get(reverse("attendance:history", kwargs={"pk": roster.session.pk})).content.decode()
    assert "not applied: a mark taken later stays on the roster" in html
    assert "taken on the phone at" in html
    assert "Offline (phone)" in html


def test_a_missing_or_null_note_is_no_note(client_as, trainer, roster):
    first, second = roster.participants[:2]
    row_without_note = {key: value for key, value in mark(roster.session, first).items() if key != "note"}
    body = {
        "idempotency_key": "no-notes-1",
        "marks": [row_without_note, {**mark(roster.session, second), "note": None}],
    }
    assert send(client_as(trainer), body).json()["saved"] == 2
    assert list(AttendanceRecord.objects.values_list("note", flat=True)) == ["", ""]
