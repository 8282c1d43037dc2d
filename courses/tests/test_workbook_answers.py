"""Test scores as answers per question (issue 14, item 1: "total score, or answers per question"):
columns q1, q2 … scored by assessments' own rule, each bad cell named, nothing half-saved."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from assessments.models import Answer, Attempt
from assessments.services import attempt_score
from assessments.tests.factories import make_five_question_test
from courses import workbook
from courses.models import Delivery
from courses.tests.factories import make_course
from courses.tests.test_workbook import two_past_deliveries

pytestmark = pytest.mark.django_db

SCORES_HEADER = [*workbook.COLUMNS["scores"], "q1", "q2", "q3", "q4", "q5"]


@pytest.fixture
def staff():
    return user_with_role(Role.ME_STAFF)


@pytest.fixture
def course():
    course = make_course("Community policing basics")
    make_five_question_test(course)
    return course


def with_scores(course, rows: list[list]) -> bytes:
    sheets = two_past_deliveries(course.title)
    sheets["scores"] = [SCORES_HEADER, *rows]
    return workbook.workbook_bytes(sheets)


def test_answers_per_question_are_scored_as_the_test_scores_them(staff, course):
    data = with_scores(
        course,
        [
            # Letters, and option numbers; all right but q5, typed as points.
            ["D1", "P1", "post", "", "", "B", "1 3", "T", "4", "1,5"],
            # One wrong, one half right, the short answer as text: it awaits a hand mark.
            ["D1", "P2", "post", "", "", "2", "A", "F", "2", "Милиса ва мардум ҳамкорӣ мекунанд"],
            # A total still works beside them.
            ["D1", "P3", "pre", 3, 6],
        ],
    )
    plan = workbook.import_workbook(data=data, user=staff, commit=True, issue_certificates=False)

    assert plan.ok, plan.errors
    assert plan.created["scores"] == 3
    first = Attempt.objects.get(participant__full_name="Раҳимова Зарина")
    assert (first.score, first.max_score, first.needs_marking) == (Decimal("4.5"), Decimal(5), False)
    assert first.source == Attempt.Source.PAPER and first.is_submitted
    second = Attempt.objects.get(participant__full_name="Каримов Фарид")
    assert (second.score, second.needs_marking) == (Decimal("1.5"), True)
    assert Answer.objects.get(attempt=second, question__text="Q5").value.startswith("Милиса")
    chosen = sorted(
        Answer.objects.get(attempt=first, question__text="Q2").choices.values_list("text", flat=True)
    )
    assert chosen == ["a", "c"]
    assert Answer.objects.get(attempt=first, question__text="Q4").value == "4"
    # The same answers scored again by the one scoring service give the same figures.
    for attempt in (first, second):
        before = (attempt.score, attempt.max_score, attempt.needs_marking)
        attempt_score(attempt=attempt)
        attempt.refresh_from_db()
        assert (attempt.score, attempt.max_score, attempt.needs_marking) == before
    assert Attempt.objects.get(participant__full_name="Саидова Нигина").score == 3


def test_each_bad_answer_is_named_by_its_cell_and_nothing_is_saved(staff, course):
    data = with_scores(
        course,
        [
            ["D1", "P1", "post", "", "", "Z", "A", "yes", "7", ""],
            ["D1", "P2", "post", "", "", "AB", "", "", "", ""],
            ["D1", "P3", "post", 4, 5, "B", "", "", "", ""],
        ],
    )
    sheets = two_past_deliveries(course.title)
    sheets["scores"] = [[*SCORES_HEADER, "q6"], ["D1", "P1", "pre", "", "", "", "", "", "", "", "A"]]

    plan = workbook.import_workbook(data=data, user=staff, commit=True)
    beyond = workbook.import_workbook(data=workbook.workbook_bytes(sheets), user=staff, commit=True)

    cells = {(error.row, error.column) for error in plan.errors if error.sheet == "scores"}
    assert cells == {(2, "q1"), (2, "q3"), (2, "q4"), (3, "q1"), (4, "score")}
    messages = {(error.row, error.column): error.message for error in plan.errors}
    assert "A, B, C" in messages[(2, "q1")]
    assert messages[(4, "score")] == str(workbook.SCORE_OR_ANSWERS)
    assert [(error.row, error.column, error.message) for error in beyond.errors] == [
        (2, "q6", str(workbook.NO_SUCH_QUESTION % {"count": 5}))
    ]
    assert not Delivery.objects.exists() and not Attempt.objects.exists()


def test_a_row_with_neither_total_nor_answers_asks_for_the_total(staff, course):
    plan = workbook.import_workbook(
        data=with_scores(course, [["D1", "P1", "pre", "", ""]]), user=staff, commit=False
    )
    assert {(error.column, error.message) for error in plan.errors} == {
        ("score", str(workbook.REQUIRED_VALUE)),
        ("max_score", str(workbook.REQUIRED_VALUE)),
    }


def test_the_same_person_and_phase_twice_is_refused(staff, course):
    plan = workbook.import_workbook(
        data=with_scores(course, [["D1", "P1", "pre", 3, 5], ["D1", "P1", "pre", 4, 5]]),
        user=staff,
        commit=False,
    )
    assert [(error.row, error.column) for error in plan.errors] == [(3, "phase")]


def test_answer_rows_cost_the_same_queries_at_two_sizes(staff, course):
    def queries(rows: list[list]) -> int:
        with CaptureQueriesContext(connection) as captured:
            plan = workbook.import_workbook(
                data=with_scores(course, rows), user=staff, commit=True, issue_certificates=False
            )
        assert plan.ok, plan.errors
        Delivery.objects.all().delete()
        return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])

    one = [["D1", "P1", "post", "", "", "B", "AC", "T", "4", "2"]]
    three = [*one, ["D1", "P2", "post", "", "", "A", "A", "F", "1", "0"], ["D1", "P3", "pre", "", "", "C"]]
    queries(one)  # warms the caches
    # The same people are matched the second time; the answers are written in bulk either way.
    assert queries(three) == queries(one)
