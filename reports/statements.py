"""Results statements: the sentences donors ask for, generated from the same figures as the dashboard.

Each sentence is assembled from translated pieces, every piece that shows a
number through ngettext, so Russian gets its several plural forms and Tajik
and Kyrgyz their own. "All five regions" uses a number word in the case the
phrase needs, per language (NUMBER_WORDS); above ten it falls back to digits.
Where a phrase goes inside a clause is the translation's choice (named
placeholders), so verb-final Tajik and Kyrgyz put the place before the verb.
"""

from django.utils import formats
from django.utils.translation import get_language, gettext, ngettext

from core.enums import Audience, Sex

from .selectors import Figures, ReportScope

# The number as a word, in the form "across all N regions" needs (Russian: prepositional case).
NUMBER_WORDS = {
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "ru": ["одном", "двух", "трёх", "четырёх", "пяти", "шести", "семи", "восьми", "девяти", "десяти"],
    "tg": ["як", "ду", "се", "чор", "панҷ", "шаш", "ҳафт", "ҳашт", "нӯҳ", "даҳ"],
    "ky": ["бир", "эки", "үч", "төрт", "беш", "алты", "жети", "сегиз", "тогуз", "он"],
}


def number_word(number: int) -> str:
    words = NUMBER_WORDS.get((get_language() or "en").split("-")[0], NUMBER_WORDS["en"])
    return words[number - 1] if 1 <= number <= len(words) else str(number)


def _in_country(iso_code: str, name: str) -> str:
    if iso_code == "TJ":
        return gettext("In Tajikistan")
    if iso_code == "KG":
        return gettext("In Kyrgyzstan")
    return gettext("In %(country)s") % {"country": name}


def _deliveries(count: int, audience: str) -> str:
    if audience:
        return ngettext(
            "%(count)s training course was delivered for %(audience)s",
            "%(count)s training courses were delivered for %(audience)s",
            count,
        ) % {"count": count, "audience": audience_phrase(audience)}
    return ngettext(
        "%(count)s training course was delivered", "%(count)s training courses were delivered", count
    ) % {"count": count}


def audience_phrase(audience: str) -> str:
    return {
        Audience.POLICE: gettext("police"),
        Audience.CIVIL_SOCIETY: gettext("civil society"),
        Audience.LOCAL_AUTHORITIES: gettext("local authorities"),
        Audience.YOUTH: gettext("youth"),
        Audience.COMMUNITY: gettext("community members"),
    }.get(audience, audience)


def _people(count: int, audience: str, *, women: str = "", regions: str = "") -> str:
    """Who was trained, with the women among them and where, as one clause.

    The place phrase is a placeholder of this clause, not appended after it, because Tajik and
    Kyrgyz put it before the verb ("… дар ҳамаи панҷ минтақа 180 корманди милитсия омӯзонида
    шуд"): each language orders %(count)s, %(women)s and %(regions)s as it needs.
    """
    if audience == Audience.POLICE:
        text = ngettext(
            "%(count)s police officer%(women)s was trained %(regions)s",
            "%(count)s police officers%(women)s were trained %(regions)s",
            count,
        )
    elif audience == Audience.CIVIL_SOCIETY:
        text = ngettext(
            "%(count)s civil-society member%(women)s was trained %(regions)s",
            "%(count)s civil-society members%(women)s were trained %(regions)s",
            count,
        )
    elif audience == Audience.LOCAL_AUTHORITIES:
        text = ngettext(
            "%(count)s local official%(women)s was trained %(regions)s",
            "%(count)s local officials%(women)s were trained %(regions)s",
            count,
        )
    elif audience == Audience.YOUTH:
        text = ngettext(
            "%(count)s youth ambassador%(women)s was trained %(regions)s",
            "%(count)s youth ambassadors%(women)s were trained %(regions)s",
            count,
        )
    elif audience == Audience.COMMUNITY:
        text = ngettext(
            "%(count)s community member%(women)s was trained %(regions)s",
            "%(count)s community members%(women)s were trained %(regions)s",
            count,
        )
    else:
        text = ngettext(
            "%(count)s person%(women)s was trained %(regions)s",
            "%(count)s people%(women)s were trained %(regions)s",
            count,
        )
    # An empty women or place phrase would leave a double or trailing space.
    return " ".join((text % {"count": count, "women": women, "regions": regions}).split())


def _women(count: int) -> str:
    return ngettext("(%(count)s of them a woman)", "(%(count)s of them women)", count) % {"count": count}


def regions_phrase(covered: int, total: int) -> str:
    if total and covered == total:
        if total == 1:
            return gettext("in its only region")
        return ngettext("across all %(number)s region", "across all %(number)s regions", total) % {
            "number": number_word(total)
        }
    return ngettext("in %(covered)s of %(total)s region", "in %(covered)s of %(total)s regions", total) % {
        "covered": covered,
        "total": total,
    }


def period_phrase(scope: ReportScope) -> str:
    """The period the statements cover, in the reader's date format; never later than the report's day."""
    end = formats.date_format(
        min(scope.date_to, scope.now.date()) if scope.date_to else scope.now.date(), "DATE_FORMAT"
    )
    if scope.date_from is None:
        return gettext("up to %(end)s") % {"end": end}
    start = formats.date_format(scope.date_from, "DATE_FORMAT")
    return gettext("from %(start)s to %(end)s") % {"start": start, "end": end}


def results_statements(scope: ReportScope, figures: Figures) -> list[str]:
    """One sentence per country in scope, or one sentence saying no training matched."""
    if figures.is_empty:
        return [gettext("No training matched these filters: no course was delivered and no one was trained.")]
    sentences = []
    for row in figures.regions_covered:
        country = figures.by_country.get(row["country__iso_code"])
        if country is None:
            continue
        people = _people(
            country["people_trained"],
            scope.audience,
            women="" if scope.sex else " " + _women(country["women_trained"]),
            regions=regions_phrase(row["covered"], row["total"]),
        )
        parts = {
            "in_country": _in_country(row["country__iso_code"], row["country__name"]),
            "deliveries": _deliveries(country["deliveries_completed"], scope.audience),
            "people": people,
        }
        sentences.append(gettext("%(in_country)s, %(deliveries)s, and %(people)s.") % parts)
    sentences.append(gettext("Period: %(period)s") % {"period": period_phrase(scope)})
    if figures.people_in_training:
        sentences.append(
            ngettext(
                "%(count)s more person is in training now, in deliveries still running; they are not counted as trained.",
                "%(count)s more people are in training now, in deliveries still running; they are not counted as trained.",
                figures.people_in_training,
            )
            % {"count": figures.people_in_training}
        )
    if scope.sex == Sex.FEMALE:
        sentences.append(gettext("All figures are for women only."))
    elif scope.sex == Sex.MALE:
        sentences.append(gettext("All figures are for men only."))
    return sentences
