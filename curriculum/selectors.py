"""Reads for the catalogue, course and module pages.

A course may exist in several locales (the same translation_key). The visitor
sees one version of each: the first published one along their language's
fallback chain (core.languages: tg → ru → en, ky → ru → en). The query
count of each function is fixed whatever the number of courses or modules.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet, prefetch_related_objects

from core.languages import rank, translated_name

from .content_cache import content_version, kept_value
from .models import CoursePage, ModulePage


def _language(code: str | None) -> str:
    return (code or settings.LANGUAGE_CODE).split("-")[0]


def _preference(language: str, row_language: str, pk: int) -> tuple:
    # The reader's fallback chain (core.languages) decides; the oldest page breaks a tie.
    return (rank(row_language, language), pk)


def _under_any(paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def live_courses() -> QuerySet[CoursePage]:
    """Live courses no view restriction hides. Wagtail's `public()` reads every restriction when it is
    called, so a page that needs this set twice makes it once and passes it on."""
    return CoursePage.objects.live().public()


def pick_versions(rows, *, language: str) -> dict:
    """From (pk, translation_key, language_code, ...) rows keep one per translation_key: the best one."""
    best: dict = {}
    for row in rows:
        pk, key, row_language = row[0], row[1], row[2]
        if key not in best or _preference(language, row_language, pk) < _preference(
            language, best[key][2], best[key][0]
        ):
            best[key] = row
    return best


@dataclass(frozen=True)
class CatalogueEntry:
    course: CoursePage
    total_minutes: int
    languages: list[str]


def catalogue_course_ids(queryset: QuerySet[CoursePage], *, language: str | None) -> list[int]:
    """Ids of the courses to list, one version per course, ordered by title (one query)."""
    language = _language(language)
    rows = queryset.values_list("pk", "translation_key", "locale__language_code", "title")
    chosen = pick_versions(rows, language=language).values()
    return [row[0] for row in sorted(chosen, key=lambda row: (row[3].casefold(), row[0]))]


def catalogue_entries(
    course_ids: list[int], *, language: str | None, live: QuerySet[CoursePage] | None = None
) -> list[CatalogueEntry]:
    """The courses on one catalogue page with what the listing shows: a fixed number of queries.

    `live` is the caller's `live_courses()` when it has one (the catalogue has, for its filter).
    """
    language = _language(language)
    if live is None:
        live = live_courses()
    courses = {
        course.pk: course
        for course in CoursePage.objects.filter(pk__in=course_ids)
        .select_related("locale")
        .prefetch_related("audiences", "topics__translated_names")
        .defer_streamfields()
    }
    keys = {course.translation_key for course in courses.values()}
    versions = list(
        live.filter(translation_key__in=keys).values_list("path", "translation_key", "locale__language_code")
    )
    languages = defaultdict(set)
    course_key_by_path = {}
    for path, key, code in versions:
        languages[key].add(code)
        course_key_by_path[path] = key
    minutes = _total_minutes(course_key_by_path, language=language)
    order = [code for code, _name in settings.LANGUAGES]
    return [
        CatalogueEntry(
            course=courses[pk],
            total_minutes=minutes.get(courses[pk].translation_key, 0),
            languages=[code for code in order if code in languages[courses[pk].translation_key]],
        )
        for pk in course_ids
        if pk in courses
    ]


def _total_minutes(course_key_by_path: dict[str, str], *, language: str) -> dict:
    """Sum of module durations per course, counting each module once across its translations."""
    if not course_key_by_path:
        return {}
    step = CoursePage.steplen
    modules = (
        ModulePage.objects.live()
        .filter(_under_any(course_key_by_path))
        .filter(depth=len(next(iter(course_key_by_path))) // step + 1)
        .values_list("pk", "translation_key", "locale__language_code", "path", "duration_minutes")
    )
    by_course = defaultdict(list)
    for row in modules:
        by_course[course_key_by_path.get(row[3][:-step])].append(row)
    return {
        key: sum(row[4] for row in pick_versions(rows, language=language).values())
        for key, rows in by_course.items()
        if key is not None
    }


def course_modules(*, course: CoursePage, language: str | None) -> list[ModulePage]:
    """The course's live modules in tree order, each in the visitor's language where it is translated.

    Modules are ordered as in the original course; a module that exists only in a translation
    comes after them in its own order. Two queries.
    """
    language = _language(language)
    course_versions = list(
        CoursePage.objects.filter(translation_key=course.translation_key)
        .filter(Q(live=True) | Q(pk=course.pk))
        .values_list("pk", "translation_key", "locale__language_code", "path")
    )
    original = pick_versions(course_versions, language=settings.LANGUAGE_CODE)[course.translation_key]
    paths = [row[3] for row in course_versions]
    modules = list(
        ModulePage.objects.live()
        .filter(depth=course.depth + 1)
        .filter(_under_any(paths))
        .select_related("locale")
        .defer_streamfields()
    )
    original_position = {m.translation_key: m.path for m in modules if m.path.startswith(original[3])}
    chosen = pick_versions(
        [(m.pk, m.translation_key, m.locale.language_code, m) for m in modules], language=language
    )
    return sorted(
        (row[3] for row in chosen.values()),
        key=lambda m: (
            m.translation_key not in original_position,
            original_position.get(m.translation_key, m.path),
        ),
    )


# One course, many translations: pickers, deliveries, certificates and reports ---------------------


def _course_rows(queryset: QuerySet[CoursePage]) -> list[tuple]:
    return list(queryset.values_list("pk", "translation_key", "locale__language_code", "title"))


@dataclass(frozen=True)
class CourseChoice:
    pk: int
    title: str
    language: str  # the language `title` is written in (for `lang` when it is not the page's)


def course_choices(
    *, language: str | None, queryset: QuerySet[CoursePage] | None = None
) -> list[CourseChoice]:
    """Each course once for a picker, titled in the reader's language (one query).

    The id is always the same version of a course (the one the default language
    prefers, as `course_modules` calls the original), so a form offers one entry
    per translation_key whatever the reader's language; the title follows the
    reader's fallback chain. `queryset` defaults to the live, public courses.
    """
    rows = list(
        (queryset if queryset is not None else live_courses()).values_list(
            "pk", "translation_key", "locale__language_code", "title"
        )
    )
    originals = pick_versions(rows, language=settings.LANGUAGE_CODE)
    shown = pick_versions(rows, language=_language(language))
    choices = [CourseChoice(originals[key][0], shown[key][3], shown[key][2]) for key in originals]
    return sorted(choices, key=lambda choice: (choice.title.casefold(), choice.pk))


def original_course_id(course: CoursePage) -> int:
    """The id `course_choices` offers for this course, whichever translation `course` is (one query)."""
    rows = _course_rows(CoursePage.objects.filter(translation_key=course.translation_key))
    return pick_versions(rows, language=settings.LANGUAGE_CODE)[course.translation_key][0]


def live_course_versions() -> dict[object, list[tuple]]:
    """Every live version of every course as (pk, translation_key, language_code, title) rows, by
    translation_key: what the course titles below choose from.

    Kept by the process under the content version (curriculum.content_cache), which every save,
    publication, unpublication and move of a page replaces in its transaction: a list, a delivery
    or a test page names its courses without a query of its own (issue 18). One query (the
    version) when kept.
    """

    def read() -> dict[object, list[tuple]]:
        versions = defaultdict(list)
        for row in _course_rows(CoursePage.objects.live().order_by("pk")):
            versions[row[1]].append(row)
        return dict(versions)

    return kept_value(f"curriculum:live-course-versions:{content_version()}", read)


def course_titles(translation_keys, *, language: str | None) -> dict:
    """Title per course (translation_key) in `language`'s best published version, for any number.

    A course none of whose translations is live keeps no entry; callers fall back to the page's own title.
    """
    keys = set(translation_keys)
    if not keys:
        return {}
    versions = live_course_versions()
    rows = [row for key in keys for row in versions.get(key, ())]
    return {key: row[3] for key, row in pick_versions(rows, language=_language(language)).items()}


# What course_title_for reads of a course page: a page read only to be named can leave the rest of
# its forty-odd columns unread (a page's ORM time grows with them; issue 18).
COURSE_TITLE_FIELDS = frozenset({"id", "page_ptr", "title", "translation_key", "locale"})


def course_fields_not_for_title(path: str) -> tuple[str, ...]:
    """`path`'s course page fields that naming the course does not need, for `QuerySet.defer`
    (`path` is the lookup to the course, e.g. "delivery__course")."""
    return tuple(
        f"{path}__{field.name}"
        for field in CoursePage._meta.concrete_fields
        if field.name not in COURSE_TITLE_FIELDS
    )


def course_title_for(course: CoursePage, language: str | None) -> str:
    """A course's title for a reader of `language` (or printed material in it): ky/tg → ru → en."""
    return course_title_and_language(course, language)[0]


def course_title_and_language(course: CoursePage, language: str | None) -> tuple[str, str]:
    """The title `course_title_for` gives and the language it is written in, for `lang`.

    A page that names the course in another language than its own (a test in the
    delivery's language, a certificate's verification) marks the title with it.
    """
    rows = live_course_versions().get(course.translation_key, ())
    best = pick_versions(rows, language=_language(language)).get(course.translation_key)
    if best is None:
        return course.title, course.locale.language_code
    return best[3], best[2]


def course_titles_in(pairs) -> dict:
    """Title per (translation_key, language) pair, e.g. each delivery's course in the delivery's language.

    Any number of pairs from the kept versions: printed material of many deliveries (certificates,
    sign-in sheets) names each course in its own delivery's language.
    """
    pairs = set(pairs)
    if not pairs:
        return {}
    versions = live_course_versions()
    titles = {}
    for key, language in pairs:
        best = pick_versions(versions.get(key, ()), language=_language(language)).get(key)
        if best is not None:
            titles[key, language] = best[3]
    return titles


def attach_course_titles(deliveries, *, language: str | None) -> None:
    """Give each delivery's course a `shown_title` in the reader's language: no query per row.

    The `course_title` template filter reads it, so a list shows each course as its readers
    read it without a query per row.
    """
    deliveries = list(deliveries)
    titles = course_titles([delivery.course.translation_key for delivery in deliveries], language=language)
    for delivery in deliveries:
        delivery.course.shown_title = titles.get(delivery.course.translation_key, delivery.course.title)


# Topics: taggit tags named per language (TopicName) ---------------------------------------------


def topic_name(tag, language: str | None = None) -> str:
    """A topic's name for a reader of `language` (the active one when None): ky/tg → ru → en.

    Reads `tag.translated_names` (prefetch it for a list: `topic_names` does); the tag's own
    name is the English one.
    """
    names = {"en": tag.name}
    names.update({row.language: row.name for row in tag.translated_names.all()})
    return translated_name(names, language)


def topic_names(tags, language: str | None = None) -> list[str]:
    """The names of several topics for a reader, in the order given: one query for all of them at most."""
    tags = list(tags)
    prefetch_related_objects(tags, "translated_names")
    return [topic_name(tag, language) for tag in tags]
