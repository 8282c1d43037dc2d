"""Demo curriculum: the catalogue in four languages, three courses and eight modules.

"Community Policing Foundations" is in English and Russian in full, and its
first module is also in Tajik; the other two courses are in English. Pages
are published directly (the demo stands for content a lead already approved).
Idempotent: what exists is left as it is.
"""

import json
import uuid

from django.db import transaction
from taggit.models import Tag
from wagtail.models import Locale

from .demo_content import (
    CATALOGUE_TRANSLATIONS,
    FOUNDATIONS_EN,
    FOUNDATIONS_RU,
    FOUNDATIONS_TG,
    OTHER_COURSES_EN,
    TOPIC_NAMES,
)
from .models import AudienceOption, CourseIndexPage, CoursePage, ModulePage, TopicName
from .services import catalogue_enable_review


def stream_data(body: list[tuple]) -> str:
    """The compact (type, value) body of demo_content as StreamField JSON."""
    blocks = []
    for block_type, value in body:
        if block_type == "heading" or block_type == "key_message":
            value = {"text": value}
        elif block_type == "facilitator_note":
            value = {"note": value}
        blocks.append(
            {"type": block_type, "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(value)))}
        )
    return json.dumps(blocks, ensure_ascii=False)


def _publish(page, user) -> None:
    page.save_revision(user=user, log_action=False).publish(
        user=user, log_action=False, skip_permission_checks=True
    )


def _course_fields(course: CoursePage, content: dict) -> None:
    course.title = content["title"]
    course.draft_title = content["title"]
    course.summary = content["summary"]
    course.learning_objectives = content["objectives"]


def _module_fields(module: ModulePage, content: dict) -> None:
    module.title = content["title"]
    module.draft_title = content["title"]
    module.learning_objectives = content["objectives"]
    module.body = stream_data(content["body"])


def _create_course(catalogue: CourseIndexPage, content: dict, user) -> tuple[CoursePage, int]:
    course = CoursePage.objects.child_of(catalogue).filter(slug=content["slug"]).first()
    if course is not None:
        return course, 0
    course = CoursePage(slug=content["slug"], owner=user)
    _course_fields(course, content)
    catalogue.add_child(instance=course)
    course.audiences.set(AudienceOption.objects.filter(code__in=content["audiences"]))
    course.topics.add(*content["topics"])
    course.save()
    _publish(course, user)
    for module_content in content["modules"]:
        module = ModulePage(
            slug=module_content["slug"], duration_minutes=module_content["minutes"], owner=user
        )
        _module_fields(module, module_content)
        course.add_child(instance=module)
        _publish(module, user)
    return course, 1 + len(content["modules"])


def _translate(page, locale, content: dict, fill, user) -> int:
    if page.get_translation_or_none(locale) is not None:
        return 0
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    fill(translation, content)
    translation.save()
    _publish(translation, user)
    return 1


@transaction.atomic
def _name_topics() -> None:
    """The demo topics' names in ru, tg and ky; a name staff already changed is kept."""
    tags = Tag.objects.filter(name__in=TOPIC_NAMES)
    for tag in tags:
        for language, name in TOPIC_NAMES[tag.name].items():
            TopicName.objects.get_or_create(tag=tag, language=language, defaults={"name": name})


def load(*, log, context: dict) -> dict:
    author = context.get("users", {}).get("lead")
    catalogue = CourseIndexPage.objects.get(locale__language_code="en")
    created = 0
    for code, (title, introduction) in CATALOGUE_TRANSLATIONS.items():
        locale = Locale.objects.get(language_code=code)
        if catalogue.get_translation_or_none(locale) is None:
            translation = catalogue.copy_for_translation(locale, copy_parents=True)
            translation.title = translation.draft_title = title
            translation.introduction = introduction
            translation.save()
            _publish(translation, author)
            catalogue_enable_review(catalogue=translation)
            created += 1

    courses = []
    for content in [FOUNDATIONS_EN, *OTHER_COURSES_EN]:
        course, count = _create_course(catalogue, content, author)
        courses.append(course)
        created += count

    foundations = courses[0]
    modules = list(ModulePage.objects.child_of(foundations).order_by("path"))
    for code, content in (("ru", FOUNDATIONS_RU), ("tg", FOUNDATIONS_TG)):
        locale = Locale.objects.get(language_code=code)
        created += _translate(foundations, locale, content, _course_fields, author)
        for module, module_content in zip(modules, content["modules"], strict=False):
            created += _translate(module, locale, module_content, _module_fields, author)

    _name_topics()

    total = CoursePage.objects.count() + ModulePage.objects.count() + CourseIndexPage.objects.count()
    log(f"curriculum pages: {created} created, {total - created} already there")
    return {"courses": {course.slug: course for course in courses}}
