"""The scheduling workspace: deliveries, sessions, enrolments, participants, calendars.

Views stay thin: every object is fetched through a scoped selector (a denied
object answers 404), input goes through a form, and writes go through a service.
"""

import calendar as calendar_module
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core import audit
from core.collation import reader_order
from core.localtime import local, local_date, zone_label
from core.pagination import page_of
from curriculum.selectors import attach_course_titles, course_fields_not_for_title
from curriculum.templatetags.course_names import course_title

from . import ical, rules, selectors, services
from .filters import DeliveryFilter
from .forms import (
    CalendarFilterForm,
    DeliveryForm,
    EnrolManyForm,
    ImportForm,
    MergeForm,
    ParticipantForm,
    ParticipantSearchForm,
    SessionForm,
    StatusForm,
)
from .imports import participants_import, read_rows
from .models import CalendarFeed, Delivery, Enrolment, Session
from .option_lists import filter_cache_key

PAGE_SIZE = 25


def _planner_required(user) -> None:
    if not roles.can_plan_deliveries(user):
        raise PermissionDenied


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _local(session: Session, zone) -> tuple[datetime.datetime, datetime.datetime]:
    """A session's start and end as the region's clock shows them.

    Naive on purpose: templates convert aware datetimes to the viewer's zone, and
    a session must read the same in Khujand, Osh and the M&E office.
    """
    return local(session.starts_at, zone).replace(tzinfo=None), local(session.ends_at, zone).replace(
        tzinfo=None
    )


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() else 1


# Deliveries -----------------------------------------------------------------------------------------


def _delivery_row_html(delivery: Delivery, *, no_sessions: str) -> SafeString:
    """One /deliveries/ row: course and project, place, dates on the region's clock, trainers,
    seats and status.

    Printed here, not in the template, for the reason the roster's rows are (attendance.views):
    a row was some twenty template nodes with a time zone block, about 0.2 ms each row (issue 18).
    courses/tests/test_delivery_rows.py checks it writes what the template loop wrote.
    """
    if delivery.first_start:
        dates = format_html(
            "{} – {}",
            local_date(delivery.first_start, delivery.region).isoformat(),
            local_date(delivery.last_end, delivery.region).isoformat(),
        )
    else:
        dates = format_html('<span class="muted">{}</span>', no_sessions)
    trainers = format_html_join(
        ", ", "{}", ((trainer.get_full_name() or trainer.username,) for trainer in delivery.trainers.all())
    ) or mark_safe('<span class="muted">—</span>')
    return format_html(
        '<tr><th scope="row"><a href="{url}">{course}</a>{project}</th><td>{region}, {country}</td>'
        "<td>{dates}</td><td>{trainers}</td><td>{enrolled} / {capacity}</td>"
        '<td><span class="status status--{status}">{status_label}</span></td></tr>',
        url=reverse("courses:delivery_detail", args=[delivery.pk]),
        course=course_title(delivery.course),
        project=format_html('<br><span class="muted">{}</span>', delivery.project.code)
        if delivery.project
        else "",
        region=delivery.region.display_name,
        country=delivery.country.iso_code,
        dates=dates,
        trainers=trainers,
        enrolled=delivery.enrolled_count,
        capacity=delivery.capacity,
        status=delivery.status,
        status_label=delivery.get_status_display(),
    )


@login_required
def delivery_list(request):
    filterset = DeliveryFilter(
        request.GET or None, queryset=selectors.delivery_list(request.user), request=request
    )
    page = page_of(Paginator(filterset.qs, PAGE_SIZE), _page_number(request))
    attach_course_titles(page.object_list, language=get_language())
    selectors.attach_countries_and_projects(page.object_list)
    no_sessions = _("no sessions yet")
    rows = [_delivery_row_html(delivery, no_sessions=no_sessions) for delivery in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/delivery_list.html",
        {
            "filter": filterset,
            # The fields are printed only when the copy kept under this key is missing.
            "filter_cache_key": filter_cache_key(request, filterset.filters),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_plan": roles.can_plan_deliveries(request.user),
        },
    )


@login_required
def delivery_detail(request, pk: int):
    # The page names its course and reads nothing else of it (curriculum.selectors).
    deliveries = selectors.delivery_detail(request.user).defer(*course_fields_not_for_title("course"))
    delivery = get_object_or_404(deliveries, pk=pk)
    zone = delivery.region.zone
    # The modules a session covers are not on this page: reading them built every module page
    # with its body, a query and ~1 ms for nothing (issue 18).
    sessions = list(delivery.sessions.select_related("venue"))
    for session in sessions:
        session.local_starts, session.local_ends = _local(session, zone)
        session.shown_venue = session.venue or delivery.venue
    trainers = list(delivery.trainers.order_by("last_name"))
    # The rules for this one delivery, from what the page has read: no query for staff or its trainers.
    can_plan = rules.plans_delivery(request.user, delivery)
    can_manage = can_plan or rules.manages_delivery(
        request.user, delivery, trainer_ids=[trainer.pk for trainer in trainers]
    )
    enrolments = delivery.enrolments.select_related("participant__organisation").order_by("enrolled_at", "pk")
    if not can_manage:
        # A trainee sees their own enrolment, never the others' personal data.
        enrolments = enrolments.filter(participant__user=request.user)
    return render(
        request,
        "courses/delivery_detail.html",
        {
            "delivery": delivery,
            "sessions": sessions,
            "trainers": trainers,
            "partners": delivery.partner_organisations.all(),
            "enrolments": enrolments,
            "zone_name": zone_label(delivery.region),
            "can_plan": can_plan,
            "can_manage": can_manage,
        },
    )


@login_required
def delivery_create(request):
    _planner_required(request.user)
    regions = selectors.regions_managed_by(request.user)
    form = DeliveryForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            delivery = services.delivery_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Delivery planned. Now add its sessions."))
            return redirect("courses:session_create", pk=delivery.pk)
    return render(request, "courses/delivery_form.html", {"form": form, "delivery": None})


@login_required
def delivery_edit(request, pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    regions = selectors.regions_managed_by(request.user)
    form = DeliveryForm(request.POST or None, regions=regions, initial=DeliveryForm.initial_for(delivery))
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_update(delivery=delivery, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Delivery saved."))
            return redirect("courses:delivery_detail", pk=delivery.pk)
    return render(request, "courses/delivery_form.html", {"form": form, "delivery": delivery})


@login_required
def delivery_status(request, pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    form = StatusForm(request.POST or None, initial={"status": delivery.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_set_status(delivery=delivery, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Status changed to %(status)s.") % {"status": delivery.get_status_display()}
            )
            if delivery.status == Delivery.Status.COMPLETED:
                decided = selectors.completion_counts(delivery)
                messages.info(
                    request,
                    _("Completion decided: %(completed)s completed, %(not_completed)s not completed.")
                    % decided,
                )
            return redirect("courses:delivery_detail", pk=delivery.pk)
    return render(request, "courses/status_form.html", {"form": form, "delivery": delivery})


# Sessions -------------------------------------------------------------------------------------------


def _session_form_view(request, delivery: Delivery, session: Session | None):
    can_override = roles.is_programme_staff(request.user)
    initial = SessionForm.initial_for(session) if session else {}
    form = SessionForm(request.POST or None, delivery=delivery, can_override=can_override, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "venue": data["venue"],
            "title": data["title"],
            "user": request.user,
            "override_reason": data.get("override_reason", ""),
            "modules": data.get("modules"),
        }
        try:
            if session is None:
                services.session_create(delivery=delivery, **fields)
            else:
                services.session_update(session=session, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Session saved."))
            if "add_another" in request.POST:
                return redirect("courses:session_create", pk=delivery.pk)
            return redirect("courses:delivery_detail", pk=delivery.pk)
    sessions = delivery.sessions.order_by("starts_at")
    zone = delivery.region.zone
    existing = [(*_local(s, zone), s) for s in sessions]
    return render(
        request,
        "courses/session_form.html",
        {"form": form, "delivery": delivery, "session": session, "existing": existing},
    )


@login_required
def session_create(request, pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    return _session_form_view(request, delivery, None)


@login_required
def session_edit(request, pk: int, session_pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    session = get_object_or_404(delivery.sessions.all(), pk=session_pk)
    return _session_form_view(request, delivery, session)


@login_required
@require_POST
def session_cancel(request, pk: int, session_pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    session = get_object_or_404(delivery.sessions.all(), pk=session_pk)
    services.session_cancel(session=session, changed_by=request.user)
    messages.success(request, _("Session cancelled."))
    return redirect("courses:delivery_detail", pk=delivery.pk)


# Enrolments -----------------------------------------------------------------------------------------


@login_required
def enrol(request, pk: int):
    """Search people and enrol one or several at once."""
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    on_delivery = delivery.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).values("participant")
    scope = selectors.participants_managed_by(request.user).exclude(pk__in=on_delivery)
    search = ParticipantSearchForm(request.GET)
    results = scope.none()
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"]
        results = scope.filter(
            Q(full_name__icontains=q)
            | Q(latin_name__icontains=q)
            | Q(phone__icontains=q)
            | Q(organisation__name__icontains=q)
        ).order_by(*reader_order(), "pk")[:50]
    elif search.is_valid():
        results = scope.filter(region=delivery.region).order_by(*reader_order(), "pk")[:50]
    form = EnrolManyForm(request.POST or None, participants=scope)
    if request.method == "POST" and form.is_valid():
        created, skipped = services.enrolments_create_many(
            delivery=delivery, participants=form.cleaned_data["participants"]
        )
        waitlisted = sum(1 for e in created if e.status == Enrolment.Status.WAITLISTED)
        messages.success(
            request,
            _("Enrolled: %(enrolled)s. Waitlisted: %(waitlisted)s.")
            % {"enrolled": len(created) - waitlisted, "waitlisted": waitlisted},
        )
        for message in skipped:
            messages.warning(request, message)
        return redirect("courses:delivery_detail", pk=delivery.pk)
    return render(
        request,
        "courses/enrol.html",
        {"delivery": delivery, "search": search, "results": list(results), "form": form},
    )


@login_required
@require_POST
def enrolment_withdraw(request, pk: int, enrolment_pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    enrolment = get_object_or_404(delivery.enrolments.select_related("participant"), pk=enrolment_pk)
    promoted = services.enrolment_withdraw(enrolment=enrolment)
    messages.success(request, _("%(name)s withdrawn.") % {"name": enrolment.participant.full_name})
    if promoted is not None:
        messages.info(
            request,
            _("%(name)s moved from the waitlist to enrolled.") % {"name": promoted.participant.full_name},
        )
    return redirect("courses:delivery_detail", pk=delivery.pk)


# Calendars ------------------------------------------------------------------------------------------


@login_required
def session_calendar(request):
    """A month of sessions, each in its own region's local time, filterable by region and trainer."""
    form = CalendarFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    today = timezone.localdate()
    month = data.get("month") or f"{today:%Y-%m}"
    year, month_number = (int(part) for part in month.split("-"))
    first = datetime.date(year, month_number, 1)
    last = datetime.date(year, month_number, calendar_module.monthrange(year, month_number)[1])
    # Widen by a day either side: a session's local date can differ from its UTC date.
    starts = datetime.datetime.combine(
        first - datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
    )
    ends = datetime.datetime.combine(last + datetime.timedelta(days=2), datetime.time(), tzinfo=datetime.UTC)
    sessions = selectors.sessions_in_range(request.user, starts=starts, ends=ends)
    if data.get("region"):
        sessions = sessions.filter(delivery__region=data["region"])
    if data.get("trainer"):
        sessions = sessions.filter(delivery__trainers=data["trainer"])
    by_day: dict[datetime.date, list] = {}
    for session in sessions:
        session.local_starts, session.local_ends = _local(session, session.delivery.region.zone)
        local = session.local_starts
        if first <= local.date() <= last:
            by_day.setdefault(local.date(), []).append(session)
    # One title query for the month, each course in the reader's language (ky/tg → ru → en).
    attach_course_titles(
        [session.delivery for day_sessions in by_day.values() for session in day_sessions],
        language=get_language(),
    )
    weeks = [
        [(day, by_day.get(day, [])) if day.month == month_number else (None, []) for day in week]
        for week in calendar_module.Calendar().monthdatescalendar(year, month_number)
    ]
    previous_month = first - datetime.timedelta(days=1)
    next_month = last + datetime.timedelta(days=1)
    keep = {key: value for key, value in request.GET.items() if key in ("region", "trainer") and value}
    return render(
        request,
        "courses/calendar.html",
        {
            "form": form,
            "weeks": weeks,
            "month_start": first,
            "previous_query": urlencode({**keep, "month": f"{previous_month:%Y-%m}"}),
            "next_query": urlencode({**keep, "month": f"{next_month:%Y-%m}"}),
            "weekdays": [datetime.date(2024, 1, day) for day in range(1, 8)],
            "session_count": sum(len(v) for v in by_day.values()),
        },
    )


@login_required
def delivery_ics(request, pk: int):
    delivery = get_object_or_404(selectors.delivery_detail(request.user), pk=pk)
    sessions = delivery.sessions.select_related(
        "delivery__course", "delivery__region", "venue", "delivery__venue"
    )
    body = ical.sessions_calendar(
        sessions,
        name=f"{delivery.course.title} — {delivery.region.display_name}",
        base_url=request.build_absolute_uri("/")[:-1],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    audit.record_export(actor=request.user, what="delivery.ics", filters={"delivery": delivery.pk})
    response["Content-Disposition"] = f'attachment; filename="delivery-{delivery.pk}.ics"'
    return response


def trainer_feed_ics(request, token: str):
    """A trainer's personal feed; the secret token is the only credential (calendar apps cannot log in)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    body = ical.sessions_calendar(
        selectors.sessions_for_trainer_feed(feed.user),
        name=_("Hamkori sessions"),
        base_url=request.build_absolute_uri("/")[:-1],
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
def calendar_feed(request):
    """Where a trainer sees, creates, rotates or revokes the link to their personal feed."""
    if not (roles.is_trainer(request.user) or roles.can_plan_deliveries(request.user)):
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("The calendar link was revoked; it no longer works."))
        else:
            services.calendar_feed_rotate(user=request.user)
            messages.success(request, _("A new calendar link was made; the old one no longer works."))
        return redirect("courses:calendar_feed")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(f"/calendar/{feed.token}.ics") if feed else ""
    return render(request, "courses/calendar_feed.html", {"feed": feed, "feed_url": feed_url})


# Participants ---------------------------------------------------------------------------------------


@login_required
def participant_list(request):
    _planner_required(request.user)
    search = ParticipantSearchForm(request.GET)
    participants = selectors.participants_managed_by(request.user).order_by(*reader_order(), "pk")
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"]
        participants = participants.filter(
            Q(full_name__icontains=q) | Q(latin_name__icontains=q) | Q(phone__icontains=q)
        )
    page = Paginator(participants, PAGE_SIZE).get_page(_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "courses/participant_list.html", {"search": search, "page": page, "query": query.urlencode()}
    )


@login_required
def participant_create(request):
    _planner_required(request.user)
    form = ParticipantForm(request.POST or None, regions=selectors.regions_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        participant = services.participant_create(**form.cleaned_data)
        messages.success(request, _("%(name)s added.") % {"name": participant.full_name})
        return redirect("courses:participant_list")
    return render(request, "courses/participant_form.html", {"form": form})


@login_required
def participant_edit(request, participant_pk: int):
    _planner_required(request.user)
    participant = get_object_or_404(selectors.participants_managed_by(request.user), pk=participant_pk)
    form = ParticipantForm(
        request.POST or None, instance=participant, regions=selectors.regions_managed_by(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.participant_update(participant=participant, **form.cleaned_data)
        messages.success(request, _("%(name)s saved.") % {"name": participant.full_name})
        return redirect("courses:participant_list")
    return render(request, "courses/participant_form.html", {"form": form, "participant": participant})


@login_required
def participant_import(request):
    """Upload, check every row, and create all or nothing; duplicates are listed for merging."""
    _planner_required(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        allowed = None
        if not roles.is_programme_staff(request.user):
            allowed = set(selectors.regions_managed_by(request.user).values_list("pk", flat=True))
        try:
            rows = read_rows(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            result = participants_import(rows=rows, allowed_region_ids=allowed)
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "Imported %(count)s participant.",
                        "Imported %(count)s participants.",
                        len(result.created),
                    )
                    % {"count": len(result.created)},
                )
    return render(request, "courses/participant_import.html", {"form": form, "result": result})


@login_required
def participant_duplicates(request):
    _planner_required(request.user)
    scope = selectors.participants_managed_by(request.user)
    if request.method == "POST":
        form = MergeForm(request.POST, participants=scope)
        if form.is_valid():
            try:
                kept = services.participant_merge(**form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Merged into %(name)s.") % {"name": kept.full_name})
        else:
            messages.error(request, _("Those participants cannot be merged."))
        return redirect("courses:participant_duplicates")
    groups = selectors.participant_duplicate_groups(request.user)
    return render(request, "courses/participant_duplicates.html", {"groups": groups})
