"""Generated sheet names fit Excel's 31 characters by cutting between words (issue 16, item 8)."""

import pytest

from core.spreadsheets import SHEET_NAME_LIMIT, fit_name, number_format_for, sheet_title

TAJIK_MONTHLY = "Гузаронидани курсҳо аз рӯи моҳҳо"  # 32 characters: cut mid-word before


def test_a_long_tajik_title_is_cut_between_words_with_an_ellipsis():
    assert len(TAJIK_MONTHLY) > SHEET_NAME_LIMIT
    assert sheet_title(TAJIK_MONTHLY) == "Гузаронидани курсҳо аз рӯи…"


@pytest.mark.parametrize(
    "text",
    [
        TAJIK_MONTHLY,
        "Проведения курсов по месяцам и регионам страны",
        "Айлар боюнча курстарды өткөрүү жана аймактар",
        "Participants, sessions and attendance by region",
    ],
)
def test_every_cut_keeps_whole_words_and_fits(text):
    title = sheet_title(text)
    assert len(title) <= SHEET_NAME_LIMIT
    words = title.removesuffix("…").split()
    assert words == text.split()[: len(words)]


def test_short_titles_are_kept_and_forbidden_characters_replaced():
    assert sheet_title("Regions") == "Regions"
    assert sheet_title("Pre/post: items?") == "Pre post items"
    assert sheet_title("") == "-"


def test_a_single_word_longer_than_the_limit_is_the_only_cut_inside_a_word():
    assert fit_name("Ҳамкорӣ" * 6, 10) == "ҲамкорӣҲа…"
    assert len(fit_name("Ҳамкорӣ" * 6, 10)) == 10


def test_number_formats_keep_numbers_as_numbers():
    assert number_format_for(29.2) == "#,##0.0"
    assert number_format_for(180) == "#,##0"
    assert number_format_for(True) == "General"
    assert number_format_for("—") == "General"
