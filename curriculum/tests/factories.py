"""Build curriculum pages under the catalogue that migration 0003 creates in every database."""

import json
import uuid

from wagtail.models import Locale

from curriculum.models import AudienceOption, CourseIndexPage, CoursePage, ModulePage

NOTE_TEXT = "Watch for participants who go quiet"


def catalogue(language: str = "en") -> CourseIndexPage:
    return CourseIndexPage.objects.get(locale__language_code=language)


def body(*blocks: tuple) -> str:
    return json.dumps([{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks])


def default_body() -> str:
    return body(
        ("heading", {"text": "Listening first"}),
        (
            "paragraph",
            "<p>Trust is <b>earned</b> and <i>kept</i>.</p><ul><li>Listen</li><li>Explain</li></ul>",
        ),
        (
            "activity",
            {
                "title": "Listening in threes",
                "minutes": 40,
                "method": "role_play",
                "materials": ["role cards", "timer"],
                "steps": ["Form groups of three.", "Rotate roles."],
            },
        ),
        ("key_message", {"text": "Go where everyone can come."}),
        ("facilitator_note", {"note": f"<p>{NOTE_TEXT}.</p>"}),
    )


def make_course(
    *,
    title: str = "Community Policing Foundations",
    slug: str | None = None,
    parent: CourseIndexPage | None = None,
    audiences: tuple[str, ...] = ("police",),
    topics: tuple[str, ...] = ("community policing",),
    live: bool = True,
) -> CoursePage:
    course = CoursePage(
        title=title, slug=slug or f"course-{uuid.uuid4().hex[:8]}", summary=f"About {title}", live=live
    )
    (parent or catalogue()).add_child(instance=course)
    course.audiences.set(AudienceOption.objects.filter(code__in=audiences))
    if topics:
        course.topics.add(*topics)
    course.save()
    return course


def make_module(
    course: CoursePage,
    *,
    title: str = "Building trust",
    minutes: int = 90,
    stream: str | None = None,
    live=True,
) -> ModulePage:
    module = ModulePage(
        title=title,
        slug=f"module-{uuid.uuid4().hex[:8]}",
        duration_minutes=minutes,
        body=stream if stream is not None else default_body(),
        live=live,
    )
    course.add_child(instance=module)
    return module


def translate(page, language: str, **fields):
    """A published translation with the given fields changed (the catalogue is copied too if missing)."""
    translation = page.copy_for_translation(
        Locale.objects.get(language_code=language), copy_parents=True
    ).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    for ancestor in translation.get_ancestors().filter(depth__gt=1, live=False).specific():
        ancestor.save_revision().publish()
    translation.refresh_from_db()
    return translation
