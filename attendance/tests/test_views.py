import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from attendance.forms import STALE_FORM, form_token
from attendance.models import AttendanceChange, AttendanceRecord
from courses.models import Enrolment, Participant
from courses.tests.factories import SessionFactory, region

from .factories import make_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def roster_post(roster, *, statuses: dict, action: str = "save", token=None, extra=None) -> dict:
    data = {"token": token or form_token(roster.session), "action": action}
    for participant in roster.participants:
        data[f"v-{participant.pk}"] = "0"
        data[f"s-{participant.pk}"] = ""
        data[f"n-{participant.pk}"] = ""
        if participant.pk in statuses:
            data[f"status-{participant.pk}"] = statuses[participant.pk]
        data[f"note-{participant.pk}"] = ""
    data.update(extra or {})
    return data


def session_urls(roster) -> list[str]:
    pk = roster.session.pk
    return [
        f"/sessions/{pk}/attendance/",
        f"/sessions/{pk}/attendance/history/",
        f"/sessions/{pk}/attendance/paper/",
        f"/sessions/{pk}/sign-in-sheet.pdf",
        f"/sessions/{pk}/attendance/check-in-qr.svg",
        f"/deliveries/{roster.delivery.pk}/attendance/",
        f"/deliveries/{roster.delivery.pk}/attendance.csv",
        f"/deliveries/{roster.delivery.pk}/attendance.xlsx",
        f"/deliveries/{roster.delivery.pk}/sign-in-sheet.pdf",
    ]


def test_contract_urls():
    assert reverse("attendance:session", args=[7]) == "/sessions/7/attendance/"
    assert reverse("attendance:session_sheet", args=[7]) == "/sessions/7/sign-in-sheet.pdf"
    assert reverse("attendance:check_in") == "/check-in/"


@pytest.mark.parametrize("role", [Role.TRAINER, Role.REGIONAL_COORDINATOR, Role.ME_STAFF, None])
def test_people_who_run_or_plan_the_delivery_open_every_page(client, make_user, role):
    user = make_user(role)
    roster = make_roster(2, trainers=[user] if role == Role.TRAINER else [])
    if role == Role.REGIONAL_COORDINATOR:
        region("TJ-SU").coordinators.add(user)
    client.force_login(user)
    for url in session_urls(roster):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", [Role.TRAINER, Role.REGIONAL_COORDINATOR, Role.TRAINEE, Role.CURRICULUM_EDITOR]
)
def test_others_get_404_on_roster_sheet_and_export(client, make_user, role):
    user = make_user(role)
    roster = make_roster(2, trainers=[make_user(Role.TRAINER)])
    if role == Role.REGIONAL_COORDINATOR:
        region("TJ-KT").coordinators.add(user)  # another region
    if role == Role.TRAINEE:
        Participant.objects.filter(pk=roster.participants[0].pk).update(user=user)
    client.force_login(user)
    for url in session_urls(roster):
        assert client.get(url).status_code == 404, url
    statuses = {p.pk: "present" for p in roster.participants}
    response = client.post(
        f"/sessions/{roster.session.pk}/attendance/", roster_post(roster, statuses=statuses)
    )
    assert response.status_code == 404
    paper = {"token": form_token(roster.session), f"key-{roster.participants[0].pk}": "p"}
    assert client.post(f"/sessions/{roster.session.pk}/attendance/paper/", paper).status_code == 404
    walk_in = {"full_name": "Чужой Человек", "sex": "male", "audience": "police"}
    assert client.post(f"/sessions/{roster.session.pk}/attendance/walk-in/", walk_in).status_code == 404
    assert not AttendanceRecord.objects.exists()
    assert not Participant.objects.filter(full_name="Чужой Человек").exists()


def test_anonymous_is_sent_to_log_in(client):
    roster = make_roster(1)
    response = client.get(f"/sessions/{roster.session.pk}/attendance/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_trainer_saves_all_marks_in_one_submit(client, trainer):
    roster = make_roster(3, trainers=[trainer])
    first, second, third = roster.participants
    client.force_login(trainer)
    data = roster_post(roster, statuses={first.pk: "present", second.pk: "late", third.pk: "absent"})
    data[f"note-{third.pk}"] = "болен"
    response = client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    assert response.status_code == 302
    marks = dict(AttendanceRecord.objects.values_list("participant_id", "status"))
    assert marks == {first.pk: "present", second.pk: "late", third.pk: "absent"}
    assert AttendanceRecord.objects.get(participant=third).note == "болен"
    assert AttendanceRecord.objects.filter(source="web", recorded_by=trainer).count() == 3


def test_mark_the_rest_present_then_exceptions(client, trainer):
    roster = make_roster(3, trainers=[trainer])
    first = roster.participants[0]
    client.force_login(trainer)
    client.post(
        f"/sessions/{roster.session.pk}/attendance/",
        roster_post(roster, statuses={first.pk: "absent"}, action="rest_present"),
    )
    statuses = sorted(AttendanceRecord.objects.values_list("status", flat=True))
    assert statuses == ["absent", "present", "present"]


def test_double_submit_is_counted_once(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    client.force_login(trainer)
    data = roster_post(roster, statuses={p.pk: "late" for p in roster.participants})
    client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    assert AttendanceRecord.objects.count() == 2
    assert AttendanceChange.objects.count() == 2
    assert set(AttendanceRecord.objects.values_list("version", flat=True)) == {1}


def test_stale_or_foreign_form_is_refused_and_nothing_saved(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    other = make_roster(1, trainers=[trainer])
    client.force_login(trainer)
    statuses = {p.pk: "present" for p in roster.participants}
    for token in ("tampered", form_token(other.session)):
        response = client.post(
            f"/sessions/{roster.session.pk}/attendance/", roster_post(roster, statuses=statuses, token=token)
        )
        assert response.status_code == 400
        assert str(STALE_FORM) in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_mark_for_someone_not_enrolled_or_unknown_status_is_refused(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    other = make_roster(1, trainers=[trainer])
    stranger = other.participants[0]
    client.force_login(trainer)
    data = roster_post(
        roster, statuses={roster.participants[0].pk: "present"}, extra={f"status-{stranger.pk}": "present"}
    )
    response = client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    assert response.status_code == 400
    assert stranger.full_name in response.content.decode()
    data = roster_post(
        roster, statuses={roster.participants[0].pk: "present", roster.participants[1].pk: "sleeping"}
    )
    response = client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    assert response.status_code == 400
    assert "sleeping" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_walk_in_from_the_roster(client, trainer):
    roster = make_roster(1, trainers=[trainer])
    client.force_login(trainer)
    response = client.post(
        f"/sessions/{roster.session.pk}/attendance/walk-in/",
        {
            "full_name": "Мамадалиева Гулнора",
            "sex": "female",
            "audience": "youth",
            "position": "",
            "organisation": "",
        },
    )
    assert response.status_code == 302
    walk_in = Participant.objects.get(full_name="Мамадалиева Гулнора")
    assert Enrolment.objects.filter(participant=walk_in, delivery=roster.delivery).exists()
    assert AttendanceRecord.objects.get(participant=walk_in).status == "present"


def test_walk_in_without_a_name_shows_the_error(client, trainer):
    roster = make_roster(1, trainers=[trainer])
    client.force_login(trainer)
    response = client.post(
        f"/sessions/{roster.session.pk}/attendance/walk-in/", {"sex": "female", "audience": "youth"}
    )
    assert response.status_code == 400
    assert Participant.objects.count() == 1


def test_paper_entry_takes_one_key_per_status(client, trainer):
    roster = make_roster(5, trainers=[trainer])
    client.force_login(trainer)
    keys = ["p", "l", "e", "x", "A"]
    data = {"token": form_token(roster.session)}
    for participant, key in zip(roster.participants, keys, strict=True):
        data.update({f"key-{participant.pk}": key, f"v-{participant.pk}": "0", f"note-{participant.pk}": ""})
    response = client.post(f"/sessions/{roster.session.pk}/attendance/paper/", data)
    assert response.status_code == 302
    marks = [AttendanceRecord.objects.get(participant=p).status for p in roster.participants]
    assert marks == ["present", "late", "left_early", "excused", "absent"]
    assert set(AttendanceRecord.objects.values_list("source", flat=True)) == {"paper"}


def test_paper_entry_refuses_an_unknown_key_naming_the_row(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    client.force_login(trainer)
    first, second = roster.participants
    data = {"token": form_token(roster.session), f"key-{first.pk}": "p", f"key-{second.pk}": "q"}
    response = client.post(f"/sessions/{roster.session.pk}/attendance/paper/", data)
    assert response.status_code == 400
    assert "Row 2" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_history_page_shows_who_and_old_to_new(client, trainer):
    roster = make_roster(1, trainers=[trainer])
    pid = roster.participants[0].pk
    client.force_login(trainer)
    client.post(f"/sessions/{roster.session.pk}/attendance/", roster_post(roster, statuses={pid: "absent"}))
    data = roster_post(roster, statuses={pid: "excused"})
    data.update({f"v-{pid}": "1", f"s-{pid}": "absent"})
    client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    page = client.get(f"/sessions/{roster.session.pk}/attendance/history/?participant={pid}").content.decode()
    assert "Absent → Excused" in page
    assert trainer.get_full_name() in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_roster_and_delivery_pages_take_a_fixed_number_of_queries(client, trainer):
    client.force_login(trainer)
    small, large = make_roster(3, trainers=[trainer]), make_roster(30, trainers=[trainer])
    for _ in range(4):
        SessionFactory(delivery=large.delivery)
    for roster in (small, large):
        for participant in roster.participants[::2]:
            AttendanceRecord.objects.create(
                session=roster.session,
                participant=participant,
                status="late",
                source="web",
                recorded_at=roster.session.starts_at,
            )
        client.get(f"/sessions/{roster.session.pk}/attendance/")  # makes the check-in code
    for path in (
        "/sessions/{s}/attendance/",
        "/sessions/{s}/attendance/history/",
        "/sessions/{s}/attendance/paper/",
        "/deliveries/{d}/attendance/",
        "/deliveries/{d}/attendance.xlsx",
        "/sessions/{s}/sign-in-sheet.pdf",
    ):
        counts = [
            _queries(client, path.format(s=roster.session.pk, d=roster.delivery.pk))
            for roster in (small, large)
        ]
        assert counts[0] == counts[1], (path, counts)


def test_roster_save_takes_the_same_queries_for_ten_and_forty(client, trainer):
    client.force_login(trainer)
    counts = []
    for size in (10, 40):
        roster = make_roster(size, trainers=[trainer])
        data = roster_post(roster, statuses={p.pk: "present" for p in roster.participants})
        with CaptureQueriesContext(connection) as queries:
            assert client.post(f"/sessions/{roster.session.pk}/attendance/", data).status_code == 302
        counts.append(len(queries))
        assert AttendanceRecord.objects.filter(session=roster.session).count() == size
    assert counts[0] == counts[1]
