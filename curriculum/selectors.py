"""Reads for the catalogue, course and module pages.

A course may exist in several locales (the same translation_key). The visitor
sees one version of each: the one in their language if it is published,
otherwise the original (the default language, else the oldest). The query
count of each function is fixed whatever the number of courses or modules.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from .models import CoursePage, ModulePage


def _language(code: str | None) -> str:
    return (code or settings.LANGUAGE_CODE).split("-")[0]


def _preference(language: str, row_language: str, pk: int) -> tuple:
    return (row_language != language, row_language != settings.LANGUAGE_CODE, pk)


def _under_any(paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def live_courses() -> QuerySet[CoursePage]:
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


def catalogue_entries(course_ids: list[int], *, language: str | None) -> list[CatalogueEntry]:
    """The courses on one catalogue page with what the listing shows: a fixed number of queries."""
    language = _language(language)
    courses = {
        course.pk: course
        for course in CoursePage.objects.filter(pk__in=course_ids)
        .select_related("locale")
        .prefetch_related("audiences", "topics")
        .defer_streamfields()
    }
    keys = {course.translation_key for course in courses.values()}
    versions = list(
        live_courses()
        .filter(translation_key__in=keys)
        .values_list("path", "translation_key", "locale__language_code")
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
