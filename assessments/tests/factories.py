"""Builders for tests: an instrument with questions, trainees linked to participants, submitted attempts."""

from decimal import Decimal

from django.contrib.auth.models import Group

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from courses.tests.factories import make_course

from ..models import Choice, Instrument, Phase, Question, QuestionType
from ..services import AnswerInput, PaperRow, paper_attempts_save, window_open


def make_instrument(course=None, title: str = "Санҷиши пеш ва пас аз омӯзиш") -> Instrument:
    return Instrument.objects.create(course=course or make_course(), title=title)


def add_question(
    instrument: Instrument,
    type: str = QuestionType.SINGLE,
    text: str = "Савол",
    choices: list[tuple[str, bool]] | None = None,
    points: str | int = 1,
    **fields,
) -> Question:
    question = Question.objects.create(
        instrument=instrument,
        type=type,
        text=text,
        points=Decimal(str(points)),
        sort_order=instrument.questions.count(),
        **fields,
    )
    for order, (choice_text, correct) in enumerate(choices or []):
        Choice.objects.create(question=question, text=choice_text, is_correct=correct, sort_order=order)
    return question


def single(instrument: Instrument, text: str = "Single", correct: int = 0, options: int = 3) -> Question:
    return add_question(
        instrument, QuestionType.SINGLE, text, [(f"{text} option {i}", i == correct) for i in range(options)]
    )


def right_choice(question: Question) -> AnswerInput:
    return AnswerInput(choice_ids=[question.choices.get(is_correct=True).pk])


def wrong_choice(question: Question) -> AnswerInput:
    return AnswerInput(choice_ids=[question.choices.filter(is_correct=False).first().pk])


def trainee_for(participant, username: str | None = None):
    user = UserFactory(username=username or f"trainee-{participant.pk}")
    user.groups.add(Group.objects.get(name=Role.TRAINEE))
    participant.user = user
    participant.save(update_fields=["user"])
    return user


def open_window(delivery, phase: str = Phase.PRE, user=None):
    return window_open(delivery=delivery, phase=phase, user=user)


def enter_paper(delivery, phase: str, rows: dict, entered_by=None) -> int:
    """rows: {participant: {question_id: AnswerInput}}."""
    return paper_attempts_save(
        delivery=delivery,
        phase=phase,
        rows=[PaperRow(participant=participant, answers=answers) for participant, answers in rows.items()],
        entered_by=entered_by,
    )


def make_five_question_test(course) -> Instrument:
    """The course's test of the workbook tests and the import benchmark: q1 single choice (B right),
    q2 multiple (A and C right, partial credit), q3 true/false (true), q4 attitude 1–5 (not scored),
    q5 short answer worth 2 points, marked by hand."""
    instrument = make_instrument(course)
    add_question(instrument, QuestionType.SINGLE, "Q1", [("a", False), ("b", True), ("c", False)])
    add_question(
        instrument,
        QuestionType.MULTIPLE,
        "Q2",
        [("a", True), ("b", False), ("c", True)],
        multiple_scoring=Question.MultipleScoring.PARTIAL,
    )
    add_question(instrument, QuestionType.TRUE_FALSE, "Q3", true_false_key=True)
    add_question(instrument, QuestionType.LIKERT, "Q4")
    add_question(instrument, QuestionType.SHORT_TEXT, "Q5", points=2)
    return instrument


def choice_test_form(*, bound: bool):
    """A test page's form over one question of each choice type, with labels that need escaping and
    an answer given to each: as sent back (`bound`) or shown again from a draft."""
    from ..forms import TakeTestForm

    instrument = make_instrument()
    questions = [
        single(instrument, "One <b>"),
        add_question(
            instrument, QuestionType.MULTIPLE, "Many", [('"a" & <b>', True), ("c", False), ("d", True)]
        ),
        add_question(instrument, QuestionType.TRUE_FALSE, "Yes"),
        add_question(instrument, QuestionType.LIKERT, "Scale"),
    ]
    one, many = questions[0].choices.all(), list(questions[1].choices.all())
    given = {
        f"q{questions[0].pk}": str(one[1].pk),
        f"q{questions[1].pk}": [str(many[0].pk), str(many[2].pk)],
        f"q{questions[2].pk}": "false",
        f"q{questions[3].pk}": "4",
    }
    if bound:
        return TakeTestForm({"token": "t", **given}, questions=questions)
    return TakeTestForm(initial=given, questions=questions)
