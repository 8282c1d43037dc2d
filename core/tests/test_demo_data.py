"""The demo loader is idempotent, deterministic, and looks like the real programme."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.enums import Audience, Sex
from courses.models import Organisation, Participant

pytestmark = pytest.mark.django_db

TAJIK_LETTERS = set("ғӣқӯҳҷ")
KYRGYZ_LETTERS = set("ңөү")


def _load() -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Organisation.objects.count(), Participant.objects.count()


def test_second_run_creates_no_duplicates():
    _load()
    first = _counts()
    output = _load()
    assert _counts() == first
    assert "participants: 0 created" in output


def test_demo_people_carry_tajik_and_kyrgyz_letters_both_sexes_and_every_audience():
    _load()
    names = "".join(Participant.objects.values_list("full_name", flat=True)).lower()
    assert set(names) >= TAJIK_LETTERS
    assert set(names) >= KYRGYZ_LETTERS
    assert set(Participant.objects.values_list("sex", flat=True)) == set(Sex.values)
    assert set(Participant.objects.values_list("audience", flat=True)) == set(Audience.values)


def test_one_demo_user_per_role_and_the_coordinator_covers_sughd():
    _load()
    for username in ("admin", "mestaff", "coordinator", "editor", "lead", "trainer", "trainee"):
        assert User.objects.filter(username=username).exists()
    coordinator = User.objects.get(username="coordinator")
    assert list(coordinator.coordinated_regions.values_list("iso_code", flat=True)) == ["TJ-SU"]
    assert User.objects.get(username="admin").is_superuser


def test_demo_trainee_signs_in_with_the_printed_personal_code(client):
    from accounts.demo import DEMO_TRAINEE_CODE

    _load()
    response = client.post("/accounts/code/", {"code": DEMO_TRAINEE_CODE})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="trainee").pk)


def test_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("load_demo_data", stdout=io.StringIO())


def test_demo_logins_lists_every_demo_user():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    for username in ("admin", "mestaff", "coordinator", "editor", "lead", "trainer", "trainee"):
        assert username in out.getvalue()
