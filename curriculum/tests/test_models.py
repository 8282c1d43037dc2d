"""Page-type rules and computed course facts."""

import pytest
from django.urls import reverse

from core.models import HomePage
from curriculum.models import CourseIndexPage, CoursePage, ModulePage
from curriculum.tests.factories import catalogue, make_course, make_module

pytestmark = pytest.mark.django_db


def test_catalogue_exists_in_every_database_at_courses():
    assert catalogue().url == "/courses/"


def test_only_courses_go_in_the_catalogue_and_only_modules_in_a_course():
    home = HomePage.objects.get(locale__language_code="en")
    course = make_course()
    assert CourseIndexPage.can_exist_under(home)
    assert not CoursePage.can_exist_under(home)
    assert CoursePage.can_create_at(catalogue())
    assert not ModulePage.can_create_at(catalogue())
    assert not ModulePage.can_create_at(home)
    assert ModulePage.can_create_at(course)
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_subpage_models() == []


def test_admin_refuses_to_create_a_module_outside_a_course(client, make_user):
    client.force_login(make_user(None))
    url = reverse("wagtailadmin_pages:add", args=("curriculum", "modulepage", catalogue().pk))
    response = client.post(url, {"title": "Stray module", "slug": "stray", "duration_minutes": 60})
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    assert not ModulePage.objects.filter(slug="stray").exists()


def test_a_second_catalogue_under_the_same_home_is_refused():
    home = HomePage.objects.get(locale__language_code="en")
    assert not CourseIndexPage.can_create_at(home)


def test_course_defaults_to_80_percent_attendance_and_70_percent_pass_mark():
    course = make_course()
    assert (course.minimum_attendance_percent, course.pass_mark_percent) == (80, 70)


def test_course_total_is_the_sum_of_its_live_modules_in_tree_order(client):
    course = make_course()
    make_module(course, title="First", minutes=90)
    make_module(course, title="Second", minutes=45)
    make_module(course, title="Unpublished draft", minutes=500, live=False)
    response = client.get(course.url)
    assert [module.title for module in response.context["content"].modules] == ["First", "Second"]
    assert response.context["content"].total_minutes == 135
    assert course.total_duration_minutes() == 135
    assert "2 hours 15 minutes" in response.text
