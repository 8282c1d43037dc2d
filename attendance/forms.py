"""Parsing roster, paper-grid, walk-in and check-in submissions into the services' inputs.

Roster and paper forms are parsed from every `status-<id>` / `key-<id>` key in
the POST, not only the rows the page showed, so a mark for someone not on the
roster reaches the service and is refused there instead of being dropped.
"""

import re

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.enums import Audience, Sex
from core.widgets import use_light_selects
from courses.models import Delivery, Organisation, Session

from . import paper_keys
from .services import Mark

STALE_FORM = _("This form is out of date or belongs to another session. Reload the page and mark again.")
UNKNOWN_KEY = _("Row %(row)s: “%(key)s” is not a status key. Use one of: %(keys)s.")
TOKEN_SALT = "attendance.roster"

# An unchecked radio group sends nothing, so the hidden version field `v-<id>` names the row too.
_FIELD = re.compile(r"^(status|key|v)-(\d+)$")


def form_token(session: Session) -> str:
    """Ties a submitted form to its session; a form posted to another session is refused."""
    return signing.dumps(session.pk, salt=TOKEN_SALT)


def check_form_token(session: Session, token: str) -> None:
    try:
        session_id = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature as error:
        raise ValidationError(STALE_FORM) from error
    if session_id != session.pk:
        raise ValidationError(STALE_FORM)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def parse_marks(*, session: Session, data, paper: bool = False) -> list[Mark]:
    """The marks of a roster (radio `status-<id>`) or paper grid (letter `key-<id>`) submission."""
    check_form_token(session, data.get("token", ""))
    marks = []
    participant_ids = []
    for name in data:
        match = _FIELD.match(name)
        if match and match.group(1) in ("v", "key" if paper else "status"):
            participant_id = int(match.group(2))
            if participant_id not in participant_ids:
                participant_ids.append(participant_id)
    for row, participant_id in enumerate(participant_ids, start=1):
        raw = data.get(f"{'key' if paper else 'status'}-{participant_id}", "").strip()
        if paper:
            # The keys of the language the grid was shown in (its hidden field), not of this request.
            language = paper_keys.keys_language(data.get("keys_language"))
            status = paper_keys.status_for_key(raw, language) if raw else ""
            if status is None:
                keys = ", ".join(paper_keys.status_keys(language).values())
                raise ValidationError(UNKNOWN_KEY % {"row": row, "key": raw[:10], "keys": keys})
        else:
            status = raw
        if not status:
            continue
        seen_version = _int(data.get(f"v-{participant_id}"))
        marks.append(
            Mark(
                participant_id=participant_id,
                status=status,
                note=data.get(f"note-{participant_id}", "").strip(),
                seen_version=seen_version,
                seen_status=data.get(f"s-{participant_id}", ""),
                seen_note=data.get(f"n-{participant_id}", ""),
            )
        )
    return marks


def unmarked_participant_ids(data) -> list[int]:
    """The roster rows submitted with no status chosen: what "set the rest present" applies to."""
    ids = []
    for name in data:
        match = _FIELD.match(name)
        if match and match.group(1) == "v" and not data.get(f"status-{match.group(2)}", "").strip():
            ids.append(int(match.group(2)))
    return ids


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    audience = forms.ChoiceField(label=_("Attends as"), choices=Audience.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    position = forms.CharField(label=_("Position or rank"), max_length=200, required=False)

    def __init__(self, *args, delivery: Delivery, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(country_id=delivery.country_id)
        self.auto_id = "walkin_%s"
        # Printed under every roster: its selects without a template per option (issue 18).
        use_light_selects(self)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=12,
        help_text=_("The six letters and digits your trainer shows in the room."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
