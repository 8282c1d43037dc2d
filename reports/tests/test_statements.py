"""Results statements in en, ru, tg and ky, with plural forms and number words."""

from datetime import date

import pytest
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from core.enums import Audience, Sex
from courses.models import Country
from reports.selectors import ReportScope, report_figures
from reports.statements import _deliveries, _people, regions_phrase, results_statements

pytestmark = pytest.mark.django_db


def statements(language: str, **filters) -> list[str]:
    scope = ReportScope(user=user_with_role(Role.ME_STAFF), **filters)
    with translation.override(language):
        return results_statements(scope, report_figures(scope))


YEAR_2025 = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}


def test_statement_in_english_names_its_period(programme):
    assert statements("en", country=Country.objects.get(iso_code="TJ"), **YEAR_2025) == [
        "In Tajikistan, 2 training courses were delivered, and 2 people (1 of them a woman) were trained in 2 of 5 regions.",
        "Period: from Jan. 1, 2025 to Dec. 31, 2025",
    ]


def test_statement_for_an_audience_counts_only_the_decided_and_says_who_is_in_training(programme):
    text = statements("en", country=Country.objects.get(iso_code="KG"), audience=Audience.POLICE)
    # p8 attended 1 of 1 held session so far in D3, which still runs: in training, never trained.
    assert text[0] == (
        "In Kyrgyzstan, 0 training courses were delivered for police, and 0 police officers "
        "(0 of them women) were trained in 1 of 9 regions."
    )
    assert text[1].startswith("Period: up to ")
    assert text[2] == (
        "1 more person is in training now, in deliveries still running; they are not counted as trained."
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            "В Таджикистане проведено 2 учебных курса, и обучено 2 человека (из них 1 женщина) в 2 из 5 регионов.",
        ),
        (
            "tg",
            "Дар Тоҷикистон 2 курси омӯзишӣ гузаронида шуд ва дар 2 аз 5 минтақа 2 нафар (аз онҳо 1 нафар зан) омӯзонида шуданд.",
        ),
        (
            "ky",
            "Тажикстанда 2 окуу курсу өткөрүлдү жана 5 аймактын ичинен 2 аймакта 2 адам (алардын ичинен 1 аял) окутулду.",
        ),
    ],
)
def test_statement_in_each_language(programme, language, expected):
    sentences = statements(language, country=Country.objects.get(iso_code="TJ"), **YEAR_2025)
    assert sentences[0] == expected
    with translation.override(language):
        period_label = translation.gettext("Period: %(period)s") % {"period": ""}
    assert len(sentences) == 2 and sentences[1].startswith(period_label) and "2025" in sentences[1]


@pytest.mark.parametrize(
    ("language", "place", "verb"),
    [("tg", "дар ҳамаи ду минтақа", "омӯзонида шуд"), ("ky", "бардык эки аймакта", "окутулду")],
)
@pytest.mark.parametrize("audience", ["", *Audience.values])
def test_verb_final_languages_put_the_place_before_the_verb(language, place, verb, audience):
    """Tajik and Kyrgyz end the clause with its verb: "in all two regions" may not trail after it."""
    with translation.override(language):
        clause = _people(3, audience, women=" (1)", regions=regions_phrase(2, 2))
    assert place in clause and verb in clause
    assert clause.index(place) < clause.index(verb)
    assert clause.endswith(verb) or clause.endswith(verb + "анд")


@pytest.mark.parametrize("language", ["en", "ru", "tg", "ky"])
def test_empty_scope_says_no_training_matched(db, language):
    text = statements(language, sex=Sex.FEMALE)
    assert len(text) == 1
    with translation.override(language):
        from django.utils.translation import gettext

        assert text[0] == gettext(
            "No training matched these filters: no course was delivered and no one was trained."
        )
    if language != "en":
        assert "No training" not in text[0]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "проведён 1 учебный курс"),
        (3, "проведено 3 учебных курса"),
        (5, "проведено 5 учебных курсов"),
        (11, "проведено 11 учебных курсов"),
        (21, "проведён 21 учебный курс"),
        (24, "проведено 24 учебных курса"),
    ],
)
def test_russian_plural_forms(count, expected):
    with translation.override("ru"):
        assert _deliveries(count, "") == expected


def test_russian_people_plural_forms():
    with translation.override("ru"):
        assert [_people(n, Audience.POLICE) for n in (1, 2, 5)] == [
            "обучен 1 сотрудник полиции",
            "обучено 2 сотрудника полиции",
            "обучено 5 сотрудников полиции",
        ]


@pytest.mark.parametrize(
    ("language", "all_five", "three_of_five"),
    [
        ("en", "across all five regions", "in 3 of 5 regions"),
        ("ru", "во всех пяти регионах", "в 3 из 5 регионов"),
        ("tg", "дар ҳамаи панҷ минтақа", "дар 3 аз 5 минтақа"),
        ("ky", "бардык беш аймакта", "5 аймактын ичинен 3 аймакта"),
    ],
)
def test_all_regions_only_when_every_region_is_covered(language, all_five, three_of_five):
    with translation.override(language):
        assert regions_phrase(5, 5) == all_five
        assert regions_phrase(3, 5) == three_of_five


def test_number_words_cover_one_to_ten_and_fall_back_to_digits():
    with translation.override("en"):
        assert regions_phrase(9, 9) == "across all nine regions"
        assert regions_phrase(12, 12) == "across all 12 regions"
        assert regions_phrase(1, 1) == "in its only region"
