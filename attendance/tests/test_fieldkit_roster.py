"""The compact roster of issue 13: one save for "the rest present" and the exceptions, counts, a light QR."""

import gzip
import re

import pytest

from accounts.roles import Role
from attendance.models import AttendanceChange, AttendanceRecord
from attendance.services import Mark, attendance_marks_save

from .factories import make_roster
from .test_views import roster_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


def test_rest_present_and_exceptions_are_one_save_with_one_change_per_person(client, trainer):
    roster = make_roster(4, trainers=[trainer])
    first, second, *rest = roster.participants
    client.force_login(trainer)
    data = roster_post(roster, statuses={first.pk: "absent", second.pk: "late"}, action="rest_present")
    assert client.post(f"/sessions/{roster.session.pk}/attendance/", data).status_code == 302
    marks = dict(AttendanceRecord.objects.values_list("participant_id", "status"))
    assert marks == {first.pk: "absent", second.pk: "late", **{p.pk: "present" for p in rest}}
    changes = list(AttendanceChange.objects.values_list("participant_id", "old_status", "new_status"))
    assert sorted(changes) == sorted(
        [(first.pk, "", "absent"), (second.pk, "", "late")] + [(p.pk, "", "present") for p in rest]
    )


def test_rest_present_leaves_alone_a_row_marked_after_the_page_loaded(client, trainer):
    roster = make_roster(3, trainers=[trainer])
    first, second, third = roster.participants
    client.force_login(trainer)
    data = roster_post(roster, statuses={first.pk: "absent"}, action="rest_present")  # the page as loaded
    # Meanwhile the third person checks in, late.
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=third.pk, status="late")],
        recorded_by=None,
        source="self_check_in",
    )
    client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    marks = dict(AttendanceRecord.objects.values_list("participant_id", "status"))
    assert marks == {first.pk: "absent", second.pk: "present", third.pk: "late"}
    assert AttendanceChange.objects.filter(participant=third).count() == 1
    assert not AttendanceChange.objects.filter(overrode_concurrent_change=True).exists()


def test_rest_present_never_changes_a_row_already_marked(client, trainer):
    roster = make_roster(2, trainers=[trainer])
    first, second = roster.participants
    attendance_marks_save(
        session=roster.session,
        marks=[Mark(participant_id=first.pk, status="excused")],
        recorded_by=trainer,
        source="web",
    )
    client.force_login(trainer)
    data = roster_post(roster, statuses={}, action="rest_present")
    data[f"v-{first.pk}"], data[f"s-{first.pk}"] = "1", "excused"
    data[f"status-{first.pk}"] = "excused"
    client.post(f"/sessions/{roster.session.pk}/attendance/", data)
    assert dict(AttendanceRecord.objects.values_list("participant_id", "status")) == {
        first.pk: "excused",
        second.pk: "present",
    }


def test_roster_shows_each_participant_in_one_compact_row_with_short_labels(client, trainer):
    roster = make_roster(9, trainers=[trainer])
    client.force_login(trainer)
    html = client.get(f"/sessions/{roster.session.pk}/attendance/").content.decode()
    rows = dict(re.findall(r'<li class="roster-row" id="row-(\d+)">(.*?)</li>', html, flags=re.S))
    assert len(rows) == 9
    for participant in roster.participants:
        row = rows[str(participant.pk)]
        assert f"{participant.full_name} <" in row
        assert row.count('type="radio"') == 5
        # The visible label is short; the full one is there for screen readers.
        assert 'class="mark-short"' in row and "Left early" in row
        assert len(row.encode()) < 2500, len(row.encode())
    # The "rest present" button belongs to the same form, after the exceptions, not a save of its own first.
    form = html[html.index('class="roster"') :]
    assert form.index('value="rest_present"') > form.index(roster.participants[-1].full_name)
    # The QR is drawn into the page: no second request, about 1 KB compressed.
    qr = html[html.index('class="check-in-qr"') :]
    qr = qr[: qr.index("</svg>") + 6]
    assert "<svg" in qr and len(gzip.compress(qr.encode())) < 3000


def test_after_saving_the_roster_shows_counts_per_status(client, trainer):
    roster = make_roster(3, trainers=[trainer])
    first, *_ = roster.participants
    client.force_login(trainer)
    data = roster_post(roster, statuses={first.pk: "absent"}, action="rest_present")
    response = client.post(f"/sessions/{roster.session.pk}/attendance/", data, follow=True)
    counts = response.content.decode()
    assert re.search(r"Present</span>\s*<strong>2</strong>", counts), counts[counts.find("roster-counts") :][
        :600
    ]
    assert re.search(r"Absent</span>\s*<strong>1</strong>", counts)
    assert re.search(r"Not marked</span>\s*<strong>0</strong>", counts)


def test_check_in_qr_is_small(client, trainer):
    roster = make_roster(1, trainers=[trainer])
    client.force_login(trainer)
    response = client.get(f"/sessions/{roster.session.pk}/attendance/check-in-qr.svg")
    assert response.status_code == 200
    assert len(gzip.compress(response.content)) < 3000, len(gzip.compress(response.content))
    assert response.content.lstrip().startswith(b"<svg") or b"<svg" in response.content[:200]
