"""Gain and item-analysis figures against a small data set worked out by hand, and the t quantile."""

import math

import pytest

from core.spreadsheets import neutralise
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory, make_course

from .. import stats
from ..exports import results_csv, results_xlsx
from ..models import Phase, QuestionType
from ..selectors import FLAG_KNOWN_BEFORE, FLAG_NEGATIVE, course_results, delivery_results
from ..services import AnswerInput
from .factories import add_question, enter_paper, make_instrument, right_choice, single, wrong_choice

# Four scored single-choice items and one attitude item; 1 = right, 0 = wrong.
PRE = {"A": [1, 0, 0, 0], "B": [1, 1, 0, 0], "C": [1, 0, 0, 0], "D": [1, 0, 1, 0]}
POST = {"A": [1, 1, 1, 0], "B": [1, 1, 0, 1], "C": [0, 0, 0, 1], "D": [1, 1, 1, 0]}
LIKERT_PRE = {"A": "3", "B": "2", "C": "4", "D": "3"}
LIKERT_POST = {"A": "4", "B": "4", "C": "5", "D": "3"}


@pytest.fixture
def hand_data(db):
    course = make_course("Hand-checked course", pass_mark_percent=70)
    delivery = DeliveryFactory(course=course)
    instrument = make_instrument(course)
    items = [single(instrument, f"Q{n}") for n in range(1, 5)]
    likert = add_question(instrument, QuestionType.LIKERT, "Residents trust the police.")
    people = {
        name: EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name=name)).participant
        for name in "ABCD"
    }
    for phase, table, attitudes in ((Phase.PRE, PRE, LIKERT_PRE), (Phase.POST, POST, LIKERT_POST)):
        rows = {}
        for name, marks in table.items():
            answers = {
                q.pk: right_choice(q) if mark else wrong_choice(q)
                for q, mark in zip(items, marks, strict=True)
            }
            answers[likert.pk] = AnswerInput(value=attitudes[name])
            rows[people[name]] = answers
        enter_paper(delivery, phase, rows)
    return delivery


def test_per_participant_and_summary_figures(hand_data):
    results = delivery_results(hand_data)
    by_name = {row.participant.full_name: row for row in results.rows}
    # Pre: A 1/4, B 2/4, C 1/4, D 2/4. Post: A 3/4, B 3/4, C 1/4, D 3/4.
    assert [(by_name[n].pre, by_name[n].post, by_name[n].change) for n in "ABCD"] == [
        (25, 75, 50), (50, 75, 25), (25, 25, 0), (50, 75, 25)
    ]  # fmt: skip
    summary = results.summary
    assert summary.paired_n == 4
    assert summary.mean_pre == pytest.approx(37.5)
    assert summary.mean_post == pytest.approx(62.5)
    assert summary.mean_change == pytest.approx(25)
    # Changes 50, 25, 0, 25: squared deviations 625 + 0 + 625 + 0 = 1250, sd = √(1250/3), t(3) = 3.1824.
    half_width = 3.1824 * math.sqrt(1250 / 3) / 2
    assert summary.ci_low == pytest.approx(25 - half_width)
    assert summary.ci_high == pytest.approx(25 + half_width)
    assert summary.normalized_gain == pytest.approx(25 / 62.5)  # (62.5 − 37.5) / (100 − 37.5) = 0.4
    assert summary.share_improved == pytest.approx(0.75)
    assert summary.share_passed == pytest.approx(0.75)  # 75 ≥ 70 for A, B, D


def test_item_analysis(hand_data):
    items = delivery_results(hand_data).items
    assert [item.facility_pre for item in items] == pytest.approx([1.0, 0.25, 0.25, 0.0])
    assert [item.facility_post for item in items] == pytest.approx([0.75, 0.75, 0.5, 0.5])
    # Post item vs rest-of-test scores: Q1 [1,1,0,1] vs [2,2,1,2] → r = 1; Q3 [1,0,0,1] vs [2,3,1,2] → r = 0;
    # Q4 [0,1,1,0] vs [3,2,0,3] → Σdxdy = −2, Σdx² = 1, Σdy² = 6 → r = −2/√6.
    assert items[0].discrimination == pytest.approx(1.0)
    assert items[1].discrimination == pytest.approx(1.0)
    assert items[2].discrimination == pytest.approx(0.0)
    assert items[3].discrimination == pytest.approx(-2 / math.sqrt(6))
    assert items[0].flags == [FLAG_KNOWN_BEFORE]
    assert items[1].flags == [] and items[2].flags == []
    assert items[3].flags == [FLAG_NEGATIVE]


def test_likert_means(hand_data):
    (likert,) = delivery_results(hand_data).likert
    assert (likert.mean_pre, likert.mean_post) == pytest.approx((3.0, 4.0))


def test_course_results_pool_deliveries(hand_data, make_user):
    second = DeliveryFactory(course=hand_data.course)
    person = EnrolmentFactory(delivery=second).participant
    questions = list(hand_data.course.assessment_instruments.get().questions.filter(type="single"))
    enter_paper(second, Phase.PRE, {person: {q.pk: wrong_choice(q) for q in questions}})
    enter_paper(second, Phase.POST, {person: {q.pk: right_choice(q) for q in questions}})
    results = course_results(hand_data.course, make_user(None))
    assert results.summary.paired_n == 5
    assert results.summary.mean_change == pytest.approx((100 + 100) / 5)


def test_exports_neutralise_formula_cells(hand_data):
    participant = hand_data.enrolments.first().participant
    participant.full_name = '=HYPERLINK("http://evil")'
    participant.save()
    text = results_csv(delivery_results(hand_data))
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    assert results_xlsx(delivery_results(hand_data))[:2] == b"PK"
    assert [neutralise(v) for v in ("+1", "-1", "@a", "ok", -1)] == ["'+1", "'-1", "'@a", "ok", -1]


def test_t_quantile_table_and_interpolation():
    assert stats.t_quantile_975(1) == 12.7062
    assert stats.t_quantile_975(3) == 3.1824
    assert stats.t_quantile_975(50) == pytest.approx(2.0086, abs=0.001)
    assert stats.t_quantile_975(1000) == pytest.approx(1.9623, abs=0.001)
    assert stats.mean_ci_95([5.0]) is None
    assert stats.normalized_gain(100, 100) is None
