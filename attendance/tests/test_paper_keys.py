"""Paper entry keys follow the interface language, and any keyboard layout types them (issue 16, item 6)."""

import json
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.roles import Role
from attendance.forms import form_token, parse_marks
from attendance.models import AttendanceRecord
from attendance.paper_keys import JCUKEN, PAPER_KEYS, QWERTY, key_positions, keymap, status_for_key

from .factories import make_roster

STATUSES = ["present", "late", "left_early", "excused", "absent"]
KEYS = {
    "en": ["p", "l", "e", "x", "a"],
    "ru": ["п", "о", "р", "у", "н"],
    "tg": ["ҳ", "д", "б", "у", "ғ"],
    "ky": ["б", "к", "э", "с", "ж"],
}
# Where each key sits: the physical key a trainer presses on a keyboard set to another layout.
POSITIONS = {
    "en": ["KeyP", "KeyL", "KeyE", "KeyX", "KeyA"],
    "ru": ["KeyG", "KeyJ", "KeyH", "KeyE", "KeyY"],
    "tg": ["BracketLeft", "KeyL", "Comma", "KeyE", "KeyU"],
    "ky": ["Comma", "KeyR", "Quote", "KeyC", "Semicolon"],
}


@pytest.mark.parametrize("language", KEYS)
def test_each_language_has_one_documented_key_per_status(language):
    assert [PAPER_KEYS[language][status] for status in STATUSES] == KEYS[language]
    for key, status in zip(KEYS[language], STATUSES, strict=True):
        assert status_for_key(key, language) == status
        assert status_for_key(key.upper(), language) == status
        assert status_for_key(status, language) == status


@pytest.mark.parametrize("language", KEYS)
def test_keys_are_read_by_position_so_any_layout_types_them(language):
    positions = key_positions(language)
    assert positions == dict(zip(POSITIONS[language], KEYS[language], strict=True))
    assert len(set(positions)) == 5


def test_the_layout_tables_match_the_keyboards():
    assert QWERTY["q"] == "KeyQ"
    assert [JCUKEN[letter] for letter in "йфяхъжэбю"] == [
        "KeyQ", "KeyA", "KeyZ", "BracketLeft", "BracketRight", "Semicolon", "Quote", "Comma", "Period",
    ]  # fmt: skip
    assert JCUKEN["п"] == "KeyG" and JCUKEN["н"] == "KeyY"


def test_tajik_letters_typed_on_a_russian_layout_count_too():
    assert status_for_key("х", "tg") == "present"
    assert status_for_key("Г", "tg") == "absent"
    assert keymap("tg")["letters"]["х"] == "ҳ"


def test_another_languages_letters_are_not_keys():
    # A Latin "e" in the Russian grid would be "left early" by letter but "excused" (У) by position.
    assert status_for_key("e", "ru") is None
    assert status_for_key("п", "en") is None
    assert status_for_key("q", "ky") is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "tg", "ky"])
def test_paper_grid_shows_and_takes_the_languages_keys(client, make_user, language):
    trainer = make_user(Role.TRAINER)
    roster = make_roster(5, trainers=[trainer])
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = f"/sessions/{roster.session.pk}/attendance/paper/"
    html = client.get(url).content.decode()
    assert f"<kbd>{KEYS[language][0].upper()}</kbd>" in html
    data = json.loads(
        re.search(r'<script id="paper-keymap" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data["positions"][POSITIONS[language][0]] == KEYS[language][0]
    post = {"token": form_token(roster.session), "keys_language": language}
    for participant, key in zip(roster.participants, KEYS[language], strict=True):
        post.update({f"key-{participant.pk}": key.upper(), f"v-{participant.pk}": "0"})
    assert client.post(url, post).status_code == 302
    assert [AttendanceRecord.objects.get(participant=p).status for p in roster.participants] == STATUSES


@pytest.mark.django_db
def test_the_grid_is_read_with_the_keys_it_was_shown_with(make_user):
    roster = make_roster(1, trainers=[make_user(Role.TRAINER)])
    participant = roster.participants[0]
    data = {"token": form_token(roster.session), "keys_language": "ky", f"key-{participant.pk}": "б"}
    with translation.override("tg"):  # Tajik "б" would be "left early"; the Kyrgyz grid meant "present"
        assert parse_marks(session=roster.session, data=data, paper=True)[0].status == "present"
    data[f"key-{participant.pk}"] = "p"
    with translation.override("en"), pytest.raises(ValidationError) as error:
        parse_marks(session=roster.session, data=data, paper=True)
    assert "б, к, э, с, ж" in str(error.value)


@pytest.mark.parametrize(("language", "letter"), [("en", "P"), ("ru", "П"), ("tg", "Ҳ"), ("ky", "Б")])
def test_attendance_grid_shows_marks_by_the_same_letters(language, letter):
    from django.template import Context, Template

    template = Template('{% include "attendance/_mark_abbr.html" %}')
    with translation.override(language):
        html = template.render(Context({"mark": "present"}))
    assert f">{letter}</abbr>" in html
