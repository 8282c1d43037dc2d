"""Thin views: the catalogue's listing context, and the printed guides."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.views import serve

from accounts.roles import can_see_facilitator_notes

from . import pdf
from .filters import CourseFilter, valid_filter_data
from .models import CourseIndexPage, CoursePage, ModulePage
from .selectors import catalogue_course_ids, catalogue_entries, live_courses

COURSES_PER_PAGE = 20


def catalogue(request: HttpRequest) -> HttpResponse:
    """/courses/ is a Wagtail page; this named URL lets the navigation link to it."""
    return serve(request, "courses/")


def catalogue_context(request: HttpRequest, *, catalogue: CourseIndexPage) -> dict:
    data = valid_filter_data(request.GET)
    live = live_courses()
    course_filter = CourseFilter(data=data, queryset=live)
    courses = course_filter.qs
    language = course_filter.form.cleaned_data.get("language") or get_language()
    course_ids = catalogue_course_ids(courses, language=language)
    page_obj = Paginator(course_ids, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return {
        "filter": course_filter,
        "page_obj": page_obj,
        "entries": catalogue_entries(list(page_obj.object_list), language=language, live=live),
        "filter_query": query.urlencode(),
        "is_filtered": any(value for key, value in query.items()),
    }


def page_pdf(request: HttpRequest, page_path: str, document: str) -> HttpResponse:
    page = Page.find_for_request(request, page_path)
    if page is None:
        raise Http404
    page = page.specific
    if any(not restriction.accept_request(request) for restriction in page.get_view_restrictions()):
        raise Http404
    if document != "print":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_see_facilitator_notes(request.user):
            raise PermissionDenied
    if document == "print" and isinstance(page, ModulePage):
        content = pdf.module_pdf(page, facilitator=False)
    elif document == "print" and isinstance(page, CoursePage):
        content = pdf.course_pdf(page, facilitator=False)
    elif document == "facilitator" and isinstance(page, ModulePage):
        content = pdf.module_pdf(page, facilitator=True)
    elif document == "facilitator-guide" and isinstance(page, CoursePage):
        content = pdf.course_pdf(page, facilitator=True)
    else:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    suffix = "" if document == "print" else f"-{document}"
    response["Content-Disposition"] = f'inline; filename="{page.slug}{suffix}.pdf"'
    return response
