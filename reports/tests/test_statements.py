"""Results statements in en, ru, tg and ky, with plural forms and number words."""

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


def test_statement_in_english(programme):
    assert statements("en", country=Country.objects.get(iso_code="TJ")) == [
        "In Tajikistan, 2 training courses were delivered, and 3 people were trained (2 of them women) in 2 of 5 regions."
    ]


def test_statement_for_an_audience(programme):
    text = statements("en", country=Country.objects.get(iso_code="KG"), audience=Audience.POLICE)[0]
    assert text == (
        "In Kyrgyzstan, 0 training courses were delivered for police, and 1 police officer was trained "
        "(1 of them a woman) in 1 of 9 regions."
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            "В Таджикистане проведено 2 учебных курса, и обучено 3 человека (из них 2 женщины) в 2 из 5 регионов.",
        ),
        (
            "tg",
            "Дар Тоҷикистон 2 курси омӯзишӣ гузаронида шуд ва 3 нафар омӯзонида шуд (аз онҳо 2 нафар зан) дар 2 аз 5 минтақа.",
        ),
        (
            "ky",
            "Тажикстанда 2 окуу курсу өткөрүлдү жана 3 адам окутулду (алардын ичинен 2 аял) 5 аймактын ичинен 2 аймакта.",
        ),
    ],
)
def test_statement_in_each_language(programme, language, expected):
    assert statements(language, country=Country.objects.get(iso_code="TJ")) == [expected]


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
