"""A course is one thing in every language (issue 16, item 1).

Seen on a running system: the delivery form's course picker listed 5 entries for
3 courses, one per translated CoursePage, and certificates named the course in
English although the delivery's language had a translation.
"""

import pytest
from django.utils import translation

from assessments import services as assessment_services
from assessments.pdf import certificates_pdf
from assessments.selectors import certificates_for_print
from courses.forms import DeliveryForm
from courses.models import Region
from courses.tests.factories import DeliveryFactory, EnrolmentFactory, ParticipantFactory
from curriculum.models import CoursePage
from curriculum.selectors import course_title_for, course_titles_in
from curriculum.tests.factories import make_course, translate
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    """3 courses in 6 pages: one in en, ru and tg; one in en and ky; one in en only."""
    policing = make_course(title="Community policing")
    translate(policing, "ru", title="Общественная полиция")
    translate(policing, "tg", title="Полиси ҷамъиятӣ")
    youth = make_course(title="Youth and police")
    translate(youth, "ky", title="Жаштар жана милиция")
    mediation = make_course(title="Mediation")
    return policing, youth, mediation


def picker_options(language: str) -> list[tuple[int, str]]:
    with translation.override(language):
        form = DeliveryForm(regions=Region.objects.all())
        return [(value, label) for value, label in form.fields["course"].choices if value != ""]


def test_the_course_picker_lists_each_course_once_in_the_readers_language(courses):
    policing, youth, mediation = courses
    english = picker_options("en")
    assert sorted(value for value, _label in english) == sorted([policing.pk, youth.pk, mediation.pk])
    assert dict(picker_options("tg")) == {
        policing.pk: "Полиси ҷамъиятӣ",
        youth.pk: "Youth and police",
        mediation.pk: "Mediation",
    }
    # Kyrgyz reads Russian before English.
    assert dict(picker_options("ky")) == {
        policing.pk: "Общественная полиция",
        youth.pk: "Жаштар жана милиция",
        mediation.pk: "Mediation",
    }


def test_a_delivery_of_a_translation_is_edited_as_its_course(courses):
    policing = courses[0]
    tajik = CoursePage.objects.get(translation_key=policing.translation_key, locale__language_code="tg")
    delivery = DeliveryFactory(course=tajik)
    assert DeliveryForm.initial_for(delivery)["course"] == policing.pk
    form = DeliveryForm(
        {"course": tajik.pk, "region": delivery.region_id, "language": "tg", "capacity": 20},
        regions=Region.objects.all(),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["course"].translation_key == policing.translation_key


def test_course_titles_follow_the_fallback_in_a_fixed_number_of_queries(courses, django_assert_num_queries):
    policing, youth, mediation = courses
    assert course_title_for(policing, "ky") == "Общественная полиция"
    assert course_title_for(youth, "tg") == "Youth and police"
    pairs = [(course.translation_key, code) for course in courses for code in ("en", "ru", "tg", "ky")]
    with django_assert_num_queries(1):
        titles = course_titles_in(pairs)
    assert titles[youth.translation_key, "ky"] == "Жаштар жана милиция"
    assert titles[mediation.translation_key, "ky"] == "Mediation"


def _certificate_text(course, language: str, make_user) -> str:
    delivery = DeliveryFactory(course=course, language=language, region=Region.objects.get(iso_code="KG-O"))
    participant = EnrolmentFactory(delivery=delivery, participant=ParticipantFactory()).participant
    trainer = make_user(None, first_name="Айбек", last_name="Осмонов")
    delivery.trainers.add(trainer)
    assessment_services.certificate_issue_manual(
        delivery=delivery, participant=participant, reason="test", issued_by=trainer
    )
    certificate = certificates_for_print().get(delivery=delivery)
    return pdf_text(certificates_pdf([certificate], base_url="https://hamkori.example/"), flatten=True)


def test_a_kyrgyz_delivery_certificate_names_the_course_in_kyrgyz(courses, make_user):
    text = _certificate_text(courses[1], "ky", make_user)
    assert "Жаштар жана милиция" in text and "Youth and police" not in text


def test_without_a_kyrgyz_translation_the_certificate_names_the_course_in_russian(courses, make_user):
    text = _certificate_text(courses[0], "ky", make_user)
    assert "Общественная полиция" in text and "Community policing" not in text


def test_delivery_list_and_page_name_the_course_in_the_readers_language(client, make_user, courses):
    from accounts.roles import Role

    policing = courses[0]
    tajik = CoursePage.objects.get(translation_key=policing.translation_key, locale__language_code="tg")
    delivery = DeliveryFactory(course=tajik, language="tg")
    client.force_login(make_user(Role.ME_STAFF))
    client.cookies.load({"django_language": "ky"})
    listing = client.get("/deliveries/").content.decode()
    page = client.get(f"/deliveries/{delivery.pk}/").content.decode()
    for html in (listing, page):
        assert "Общественная полиция" in html and "Полиси ҷамъиятӣ" not in html
    client.cookies.load({"django_language": "ru"})
    filter_options = client.get("/reports/").content.decode()
    assert filter_options.count("Общественная полиция") == 1


def test_a_kyrgyz_delivery_sign_in_sheet_names_the_course_in_kyrgyz(courses):
    from attendance.pdf import session_sign_in_sheet
    from attendance.tests.factories import make_roster

    roster = make_roster(1, language="ky", course=courses[1], region=Region.objects.get(iso_code="KG-C"))
    text = pdf_text(session_sign_in_sheet(session=roster.session), flatten=True)
    assert "Жаштар жана милиция" in text and "Youth and police" not in text


def test_a_filter_reads_the_courses_once_and_marks_a_title_in_another_language(courses, rf):
    """The course filter's options are read when printed, once: Django hands a field's choices to its
    widget whenever the field's queryset is set, and they used to be read there, twice per filter
    form (issue 18). A title shown in another language than the page's is marked with `lang`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.filters import DeliveryFilter
    from courses.models import Delivery

    policing, youth, _mediation = courses
    with translation.override("tg"), CaptureQueriesContext(connection) as queries:
        form = DeliveryFilter(None, queryset=Delivery.objects.all(), request=rf.get("/deliveries/")).form
        html = str(form["course"])
    course_reads = [query for query in queries if "curriculum_coursepage" in query["sql"]]
    assert len(course_reads) == 1
    assert f'<option value="{policing.pk}">Полиси ҷамъиятӣ</option>' in html
    assert f'<option value="{youth.pk}" lang="en">Youth and police</option>' in html


def test_kept_course_titles_follow_a_publication_and_an_unpublication(courses, django_assert_num_queries):
    """The titles are kept under the content version (curriculum.selectors.live_course_versions)."""
    policing = courses[0]
    pairs = [(policing.translation_key, "ky"), (policing.translation_key, "tg")]
    assert course_titles_in(pairs) == {pairs[0]: "Общественная полиция", pairs[1]: "Полиси ҷамъиятӣ"}
    with django_assert_num_queries(1):  # the version
        course_titles_in(pairs)
    russian = CoursePage.objects.get(translation_key=policing.translation_key, locale__language_code="ru")
    russian.title = "Полиция и общество"
    russian.save_revision().publish()
    assert course_titles_in(pairs)[pairs[0]] == "Полиция и общество"
    russian.unpublish()
    assert course_titles_in(pairs)[pairs[0]] == "Community policing"  # ky → ru → en
    assert course_title_for(policing, "tg") == "Полиси ҷамъиятӣ"
