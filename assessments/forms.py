"""Forms: a test as a participant sees it, the paper grid, certificates and verification."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from courses.models import Participant

from .models import Question, QuestionType, parse_certificate_code
from .services import MAX_TEXT, AnswerInput

MALFORMED_CODE = _(
    "A verification code has 8 letters and digits, like 7KQM-4XPA (no 0, O, 1 or I). Check it and try again."
)
LIKERT_CHOICES = [
    ("1", _("1 — strongly disagree")),
    ("2", _("2 — disagree")),
    ("3", _("3 — neither agree nor disagree")),
    ("4", _("4 — agree")),
    ("5", _("5 — strongly agree")),
]
TRUE_FALSE_CHOICES = [("true", _("True")), ("false", _("False"))]


def question_field_name(question: Question) -> str:
    return f"q{question.pk}"


@dataclass(frozen=True)
class ChoiceOption:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class QuestionRow:
    """A question of the test page: a bound field, with its options when it is a choice question."""

    field: forms.BoundField
    input_type: str | None = None
    options: list[ChoiceOption] = dc_field(default_factory=list)

    def options_html(self, lang_attribute: str = "") -> SafeString:
        """The choice inputs with their labels, `lang_attribute` (` lang="…"` or "") on each label.

        Written here rather than by a template loop, as the roster's rows are: a test of twelve
        questions has some fifty options, and each was a dozen template nodes (issue 18).
        assessments/tests/test_question_options_html.py checks it writes what the loop wrote.
        """
        checked = mark_safe(" checked")
        return format_html_join(
            "\n",
            '<label class="option" for="{}"><input type="{}" name="{}" value="{}" id="{}"{}> <span{}>{}</span></label>',
            (
                (
                    option.id,
                    self.input_type,
                    self.field.html_name,
                    option.value,
                    option.id,
                    checked if option.checked else "",
                    lang_attribute,
                    option.label,
                )
                for option in self.options
            ),
        )


class TakeTestForm(forms.Form):
    """The questions of an instrument; none is required, so a participant may skip what they do not know."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            label = f"{number}. {question.text}"
            name = question_field_name(question)
            choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
            if question.type == QuestionType.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
            elif question.type == QuestionType.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    help_text=_("Choose all that apply."),
                )
            elif question.type == QuestionType.TRUE_FALSE:
                field = forms.ChoiceField(
                    choices=TRUE_FALSE_CHOICES, widget=forms.RadioSelect, required=False
                )
            elif question.type == QuestionType.LIKERT:
                field = forms.ChoiceField(choices=LIKERT_CHOICES, widget=forms.RadioSelect, required=False)
            else:
                field = forms.CharField(
                    max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}), required=False
                )
            field.label = label
            field.question = question
            self.fields[name] = field

    def question_fields(self):
        return [self[question_field_name(question)] for question in self.questions]

    def question_rows(self) -> list[QuestionRow]:
        """The questions with their options ready for a plain template loop.

        Rendering each option through Django's widget templates took about 42 % of the test
        page's time (issue 18); the page writes the same inputs (names, values, ids, checked) itself.
        """
        rows = []
        for bound in self.question_fields():
            widget = bound.field.widget
            input_type = getattr(widget, "input_type", None)
            if input_type not in ("radio", "checkbox"):
                rows.append(QuestionRow(field=bound))
                continue
            value = bound.value()
            chosen = {str(item) for item in value} if isinstance(value, (list, tuple)) else {str(value)}
            chosen.discard("None")
            options = [
                ChoiceOption(
                    id=f"{bound.auto_id}_{index}",
                    value=str(choice_value),
                    label=choice_label,
                    checked=str(choice_value) in chosen,
                )
                for index, (choice_value, choice_label) in enumerate(bound.field.choices)
            ]
            rows.append(QuestionRow(field=bound, input_type=input_type, options=options))
        return rows

    def answers(self) -> dict[int, AnswerInput]:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if question.type == QuestionType.SINGLE:
                answers[question.pk] = AnswerInput(choice_ids=[int(value)] if value else [])
            elif question.type == QuestionType.MULTIPLE:
                answers[question.pk] = AnswerInput(choice_ids=[int(pk) for pk in value or []])
            else:
                answers[question.pk] = AnswerInput(value=value or "")
        return answers


LETTERS = "ABCDEFGHJK"


def choice_letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


class PaperGrid:
    """A keyboard-friendly grid: a row per participant, a text cell per question.

    Cells take the letter(s) of the chosen answers (A, B, AC), T or F, a number
    1–5 for attitude items, and the points given for short answers. An empty row
    means no paper test for that participant.
    """

    def __init__(
        self, *, questions: list[Question], participants: list[Participant], data=None, initial=None
    ):
        self.questions = questions
        self.participants = participants
        self.data = data
        self.initial = initial or {}
        self.errors: list[str] = []
        self.rows: list[tuple[Participant, dict[int, AnswerInput]]] = []

    @staticmethod
    def cell_name(participant: Participant, question: Question) -> str:
        return f"p{participant.pk}-q{question.pk}"

    def value(self, participant: Participant, question: Question) -> str:
        name = self.cell_name(participant, question)
        if self.data is not None:
            return self.data.get(name, "")
        return self.initial.get(name, "")

    def table(self, locked: set[int]):
        return [
            {
                "participant": participant,
                "locked": participant.pk in locked,
                "cells": [
                    {
                        "name": self.cell_name(participant, question),
                        "value": self.value(participant, question),
                        "question": question,
                        "number": number,
                    }
                    for number, question in enumerate(self.questions, start=1)
                ],
            }
            for participant in self.participants
        ]

    def is_valid(self) -> bool:
        self.errors, self.rows = [], []
        for participant in self.participants:
            answers = {}
            for number, question in enumerate(self.questions, start=1):
                raw = self.value(participant, question).strip().upper()
                try:
                    answers[question.pk] = self._parse(question, raw)
                except ValueError as error:
                    self.errors.append(
                        _("%(name)s, question %(number)s: %(problem)s")
                        % {"name": participant.full_name, "number": number, "problem": error}
                    )
            self.rows.append((participant, answers))
        return not self.errors

    @staticmethod
    def _parse(question: Question, raw: str) -> AnswerInput:
        if not raw:
            return AnswerInput()
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            letters = {choice_letter(index): choice.pk for index, choice in enumerate(question.choices.all())}
            typed = list(raw.replace(",", "").replace(" ", ""))
            if any(letter not in letters for letter in typed):
                raise ValueError(
                    _("“%(raw)s” is not one of the choices %(letters)s.")
                    % {"raw": raw, "letters": ", ".join(letters)}
                )
            if question.type == QuestionType.SINGLE and len(set(typed)) > 1:
                raise ValueError(_("only one choice is allowed."))
            return AnswerInput(choice_ids=[letters[letter] for letter in typed])
        if question.type == QuestionType.TRUE_FALSE:
            mapping = {"T": "true", "F": "false", "TRUE": "true", "FALSE": "false"}
            if raw not in mapping:
                raise ValueError(_("type T for true or F for false."))
            return AnswerInput(value=mapping[raw])
        if question.type == QuestionType.LIKERT:
            if raw not in {"1", "2", "3", "4", "5"}:
                raise ValueError(_("type a number from 1 to 5."))
            return AnswerInput(value=raw)
        try:
            points = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise ValueError(
                _("type the points given, from 0 to %(max)s.") % {"max": question.points}
            ) from None
        if points < 0 or points > question.points or not points.is_finite():
            raise ValueError(_("type the points given, from 0 to %(max)s.") % {"max": question.points})
        return AnswerInput(value="", manual_score=points)


def paper_initial(attempts, questions: list[Question]) -> dict[str, str]:
    """The grid cells for attempts already entered, so the grid can be corrected and saved again."""
    letters = {
        choice.pk: choice_letter(index)
        for question in questions
        for index, choice in enumerate(question.choices.all())
    }
    types = {question.pk: question.type for question in questions}
    initial = {}
    for attempt in attempts:
        for answer in attempt.answers.all():
            name = f"p{attempt.participant_id}-q{answer.question_id}"
            question_type = types.get(answer.question_id)
            if question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
                initial[name] = "".join(
                    sorted(letters.get(choice.pk, "?") for choice in answer.choices.all())
                )
            elif question_type == QuestionType.TRUE_FALSE:
                initial[name] = {"true": "T", "false": "F"}.get(answer.value, "")
            elif question_type == QuestionType.SHORT_TEXT:
                initial[name] = "" if answer.manual_score is None else f"{answer.manual_score.normalize():f}"
            else:
                initial[name] = answer.value
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ManualIssueForm(ReasonForm):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.order_fields(["participant", "reason"])


class MarkForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=6, decimal_places=2)


class VerifyLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("Printed on the certificate under the QR code, for example 7KQM-4XPA."),
    )

    def clean_code(self) -> str:
        code = parse_certificate_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(MALFORMED_CODE)
        return code
