"""Attendance pages. Thin: scope the object to the user (404 otherwise), parse, call a service, render."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import format_html, format_html_join
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from core import audit
from core.converters import database_id
from courses.models import Delivery, Session
from courses.selectors import deliveries_managed_by, sessions_managed_by
from curriculum.content_cache import kept_key
from curriculum.selectors import attach_course_titles, course_fields_not_for_title, course_title_for

from . import exports, pdf, services
from .forms import CheckInForm, WalkInForm, form_token, parse_marks, unmarked_participant_ids
from .models import AttendanceSource, AttendanceStatus
from .paper_keys import keymap, keys_language, status_keys
from .qr import qr_svg
from .rules import excused_counts_as_attended, runs_sessions
from .selectors import (
    TODAY_DAYS_AHEAD,
    delivery_attendance,
    session_history,
    session_roster,
    trainer_sessions_ahead,
)

# The roster's submit value for "save the exceptions and set the rest present" (one save).
REST_PRESENT = "rest_present"

# How long a browser keeps the check-in QR without asking again: a session's length. The ETag
# follows the code, so a revalidation after this costs a 304, never a stale code.
CHECK_IN_QR_MAX_AGE = 4 * 3600

# Short labels for the roster's segmented status buttons: five fit a 360 px row. The full
# status name stays in the markup for screen readers.
SHORT_STATUS_LABELS = {
    AttendanceStatus.PRESENT: pgettext_lazy("attendance status, short", "Here"),
    AttendanceStatus.LATE: pgettext_lazy("attendance status, short", "Late"),
    AttendanceStatus.LEFT_EARLY: pgettext_lazy("attendance status, short", "Left"),
    AttendanceStatus.EXCUSED: pgettext_lazy("attendance status, short", "Excused"),
    AttendanceStatus.ABSENT: pgettext_lazy("attendance status, short", "Absent"),
}


def _status_counts(rows: list[dict]) -> list[tuple[str, int]]:
    """How many rows carry each status, and how many none: shown above the roster after a save."""
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    unmarked = 0
    for row in rows:
        if row["status"] in counts:
            counts[row["status"]] += 1
        else:
            unmarked += 1
    labels = dict(AttendanceStatus.choices)
    return [(labels[value], count) for value, count in counts.items()] + [(_("Not marked"), unmarked)]


# The roster names its course and reads nothing else of it: building the course page's forty-odd
# columns was ~0.4 ms of the roster's ORM time (issue 18).
ROSTER_COURSE_DEFERRED = course_fields_not_for_title("delivery__course")


def _managed_session(request, pk: int, *, deferred=()) -> Session:
    sessions = sessions_managed_by(request.user).select_related(
        "delivery__region", "delivery__course", "delivery__venue", "venue"
    )
    return get_object_or_404(sessions.defer(*deferred), pk=pk)


def _managed_delivery(request, pk: int) -> Delivery:
    deliveries = deliveries_managed_by(request.user).select_related("region", "course", "venue")
    return get_object_or_404(deliveries, pk=pk)


def _rows_for_form(session: Session, data=None) -> list[dict]:
    """The rows to render; after a refused submission, what the person typed, with the versions they saw."""
    rows = []
    for row in session_roster(session=session):
        pid = row.participant.pk
        entry = {
            "participant": row.participant,
            "status": row.status,
            "note": row.note,
            "version": row.version,
            "seen_status": row.status,
            "seen_note": row.note,
            "recorded_at": row.record.recorded_at if row.record else None,
            "source": row.record.get_source_display() if row.record else "",
        }
        if data is not None:
            entry["status"] = data.get(f"status-{pid}", data.get(f"key-{pid}", entry["status"]))
            entry["note"] = data.get(f"note-{pid}", entry["note"])
            for field, key in (("version", "v"), ("seen_status", "s"), ("seen_note", "n")):
                if f"{key}-{pid}" in data:
                    entry[field] = data[f"{key}-{pid}"]
        entry["key"] = status_keys().get(entry["status"], entry["status"])
        rows.append(entry)
    return rows


def _mark_choices(participant_id: int, current: str, statuses) -> str:
    """One roster row's status radios. Built here, not in the template: forty rows of five
    statuses as template nodes were most of the roster's server time."""
    return format_html_join(
        "",
        '<label class="mark mark--{}"><input type="radio" name="status-{}" value="{}"{}>'
        '<span class="mark-short" aria-hidden="true">{}</span><span class="visually-hidden">{}</span></label>',
        (
            (value, participant_id, value, mark_safe(" checked") if current == value else "", short, label)
            for value, label, short in statuses
        ),
    )


def _roster_row_html(row: dict, *, history_url: str, note_label: str, history_label: str) -> str:
    """One roster row: its name, the versions it was shown at, its marks and its note.

    Printed here, not in the template, for the reason `_mark_choices` is: forty rows of a dozen
    template nodes each were a third of the roster's server time (issue 18). attendance/tests/
    test_roster_rows.py checks it writes what the template wrote.
    """
    participant = row["participant"]
    pid = participant.pk
    organisation = participant.organisation
    return format_html(
        '<li class="roster-row" id="row-{pid}"><fieldset>'
        '<legend class="roster-name">{name}{organisation}</legend>'
        '<input type="hidden" name="v-{pid}" value="{version}">'
        '<input type="hidden" name="s-{pid}" value="{seen_status}">'
        '<input type="hidden" name="n-{pid}" value="{seen_note}">'
        '<div class="marks">{marks}</div>'
        '<details class="roster-extra"{open}><summary>{note_label}{history_summary}'
        '<span class="visually-hidden">: {name}</span></summary>'
        '<input type="text" id="note-{pid}" name="note-{pid}" value="{note}" maxlength="300" '
        'aria-label="{note_label}: {name}">{history_link}'
        "</details></fieldset></li>",
        pid=pid,
        name=participant.full_name,
        organisation=format_html(' <span class="muted roster-org">{}</span>', organisation.name)
        if organisation
        else "",
        version=row["version"],
        seen_status=row["seen_status"],
        seen_note=row["seen_note"],
        marks=row["mark_choices"],
        open=mark_safe(" open") if row["note"] else "",
        note_label=note_label,
        history_summary=format_html(" · {}", history_label) if row["version"] else "",
        note=row["note"],
        history_link=format_html('<a href="{}?participant={}">{}</a>', history_url, pid, history_label)
        if row["version"]
        else "",
    )


def _report_save(request, result: services.SaveResult) -> None:
    changed = result.created + result.updated
    if changed:
        messages.success(
            request,
            ngettext("Saved %(count)d mark.", "Saved %(count)d marks.", changed) % {"count": changed},
        )
    else:
        messages.info(request, _("Nothing to save: every mark was already recorded."))
    if result.kept_newer:
        count = len(result.kept_newer)
        messages.warning(
            request,
            ngettext(
                "Someone else changed %(count)d mark while you were marking; their newer mark was kept.",
                "Someone else changed %(count)d marks while you were marking; their newer marks were kept.",
                count,
            )
            % {"count": count},
        )
    if result.overrode:
        count = len(result.overrode)
        messages.warning(
            request,
            ngettext(
                "%(count)d mark you changed had just been changed by someone else; yours replaced it "
                "(both are in the history).",
                "%(count)d marks you changed had just been changed by someone else; yours replaced them "
                "(both are in the history).",
                count,
            )
            % {"count": count},
        )


@login_required
def today(request):
    """The trainer's entry point: the sessions they run today and in the next week, each one tap
    from its roster. Trainees and curriculum authors run no sessions and are refused."""
    if not runs_sessions(request.user):
        raise PermissionDenied(_("Today lists the sessions trainers run."))
    sessions = trainer_sessions_ahead(user=request.user)
    # One title query for the whole list, in the reader's language (ky/tg → ru → en).
    attach_course_titles([row.session.delivery for row in sessions], language=get_language())
    context = {
        "today_sessions": [row for row in sessions if row.is_today],
        "later_sessions": [row for row in sessions if not row.is_today],
        "days_ahead": TODAY_DAYS_AHEAD,
    }
    return render(request, "attendance/today.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk: int):
    session = _managed_session(request, pk, deferred=ROSTER_COURSE_DEFERRED)
    if request.method == "POST":
        try:
            marks = parse_marks(session=session, data=request.POST)
            rest_present = (
                unmarked_participant_ids(request.POST) if request.POST.get("action") == REST_PRESENT else ()
            )
            result = services.attendance_marks_save(
                session=session,
                marks=marks,
                recorded_by=request.user,
                source=AttendanceSource.WEB,
                rest_present=rest_present,
            )
        except ValidationError as error:
            return _render_roster(request, session, errors=error.messages, data=request.POST, status=400)
        _report_save(request, result)
        return redirect("attendance:session", pk=session.pk)
    return _render_roster(request, session)


def walk_in_fields_key(delivery: Delivery, form: WalkInForm | None) -> str | None:
    """What the walk-in form's printed fields are kept under; None for a form sent back with errors.

    The empty form is the same under every roster of one country in one language: its labels, its
    sex and audience choices, and the country's organisations. Printing it was ~1.8 ms and a query
    of a ~13 ms roster (issue 18). A change to an organisation replaces the content version
    (attendance/apps.py); the choices are the code's own.
    """
    if form is not None:
        return None
    return kept_key("walk-in-fields", delivery.country_id)


def _render_roster(request, session: Session, *, errors=(), data=None, status=200, walk_in_form=None):
    delivery = session.delivery
    code = services.check_in_code_for(session=session)
    check_in_url = request.build_absolute_uri(reverse("attendance:check_in")) + f"?code={code.code}"
    rows = _rows_for_form(session, data)
    # Translated once for the page: forty rows would otherwise translate the same five labels each.
    statuses = [
        (value, str(label), str(SHORT_STATUS_LABELS[value])) for value, label in AttendanceStatus.choices
    ]
    # Read once for the page, not once per row.
    shared = {
        "history_url": reverse("attendance:history", args=[session.pk]),
        "note_label": _("Note"),
        "history_label": _("History"),
    }
    for row in rows:
        row["mark_choices"] = _mark_choices(row["participant"].pk, row["status"], statuses)
        row["html"] = _roster_row_html(row, **shared)
    context = {
        "session": session,
        "delivery": delivery,
        "zone": delivery.region.zone,
        "rows": rows,
        "counts": _status_counts(rows) if data is None else (),
        "rest_present": REST_PRESENT,
        # Drawn into the page (about 1 KB compressed): no second request, and it stays with the page.
        "check_in_qr": mark_safe(qr_svg(check_in_url)),
        "token": form_token(session),
        "errors": errors,
        "code": code.code,
        "check_in_url": check_in_url,
        "check_in_opens": session.starts_at - services.check_in_opens_before(),
        # Built but not read when its fields are kept: the organisations are read only when printed.
        "walk_in_form": walk_in_form or WalkInForm(delivery=delivery),
        "walk_in_fields_key": walk_in_fields_key(delivery, walk_in_form),
        "cancelled": session.status == Session.Status.CANCELLED,
    }
    return render(request, "attendance/session_attendance.html", context, status=status)


@login_required
def check_in_qr(request, pk: int):
    """The check-in link's QR as an image, cached by the trainer's browser only.

    The image changes only with the link (the session's code and the site's address), so its
    ETag is a digest of the link: a new code is a new ETag, and a browser revalidating within a
    session gets a 304 with no body. `private`: the code is the trainer's, never a shared cache's.
    The access check comes first, so a 304 is only ever answered to someone who may see the QR.
    """
    session = _managed_session(request, pk)
    code = services.check_in_code_for(session=session)
    url = request.build_absolute_uri(reverse("attendance:check_in")) + f"?code={code.code}"
    etag = quote_etag(hashlib.sha256(url.encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        qr_svg(url), content_type="image/svg+xml"
    )
    response.headers["ETag"] = etag
    patch_cache_control(response, private=True, max_age=CHECK_IN_QR_MAX_AGE)
    return response


@login_required
@require_POST
def walk_in(request, pk: int):
    session = _managed_session(request, pk)
    form = WalkInForm(request.POST, delivery=session.delivery)
    if form.is_valid():
        try:
            participant = services.walk_in_create(
                session=session, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s was added, enrolled and marked present.") % {"name": participant.full_name},
            )
            return redirect("attendance:session", pk=session.pk)
    return _render_roster(request, session, walk_in_form=form, status=400)


@login_required
def session_history_view(request, pk: int):
    session = _managed_session(request, pk)
    changes = session_history(session=session, participant_id=database_id(request.GET.get("participant")))
    return render(
        request,
        "attendance/session_history.html",
        {
            "session": session,
            "delivery": session.delivery,
            "zone": session.delivery.region.zone,
            "changes": changes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk: int):
    session = _managed_session(request, pk)
    errors, data, status = (), None, 200
    if request.method == "POST":
        try:
            marks = parse_marks(session=session, data=request.POST, paper=True)
            result = services.attendance_marks_save(
                session=session, marks=marks, recorded_by=request.user, source=AttendanceSource.PAPER
            )
        except ValidationError as error:
            errors, data, status = error.messages, request.POST, 400
        else:
            _report_save(request, result)
            return redirect("attendance:session", pk=session.pk)
    context = {
        "session": session,
        "delivery": session.delivery,
        "zone": session.delivery.region.zone,
        "rows": _rows_for_form(session, data),
        "token": form_token(session),
        "errors": errors,
        "keys": _paper_key_labels(),
        "keys_language": keys_language(),
        "keymap": keymap(),
    }
    return render(request, "attendance/paper_entry.html", context, status=status)


def _paper_key_labels():
    labels = dict(AttendanceStatus.choices)
    return [(key, labels[status]) for status, key in status_keys().items()]


@login_required
def session_sheet(request, pk: int):
    session = _managed_session(request, pk)
    response = HttpResponse(pdf.session_sign_in_sheet(session=session), content_type="application/pdf")
    audit.record_export(actor=request.user, what="sign-in sheet", filters={"session": session.pk})
    response["Content-Disposition"] = f'inline; filename="sign-in-sheet-session-{session.pk}.pdf"'
    return response


@login_required
def delivery_sheet(request, pk: int):
    delivery = _managed_delivery(request, pk)
    response = HttpResponse(pdf.delivery_sign_in_sheet(delivery=delivery), content_type="application/pdf")
    audit.record_export(actor=request.user, what="sign-in sheets", filters={"delivery": delivery.pk})
    response["Content-Disposition"] = f'inline; filename="sign-in-sheet-delivery-{delivery.pk}.pdf"'
    return response


@login_required
def delivery_attendance_view(request, pk: int):
    delivery = _managed_delivery(request, pk)
    sessions, rows = delivery_attendance(delivery=delivery)
    now = timezone.now()
    context = {
        "delivery": delivery,
        "zone": delivery.region.zone,
        "sessions": sessions,
        "rows": rows,
        "minimum": delivery.course.minimum_attendance_percent,
        "excused_counts": excused_counts_as_attended(),
        "meeting": sum(1 for row in rows if row.summary and row.summary.meets_rule),
        "now": now,
        "provisional": any(row.summary.is_provisional for row in rows if row.summary),
        "held": next((row.summary.held for row in rows if row.summary), 0),
        "planned": next((row.summary.planned for row in rows if row.summary), 0),
        "decided": any(row.enrolment.is_decided for row in rows),
    }
    return render(request, "attendance/delivery_attendance.html", context)


@login_required
def delivery_export(request, pk: int, fmt: str):
    delivery = _managed_delivery(request, pk)
    if fmt == "csv":
        response = HttpResponse(
            exports.attendance_csv(delivery=delivery), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.attendance_xlsx(delivery=delivery),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    audit.record_export(actor=request.user, what=f"attendance.{fmt}", filters={"delivery": delivery.pk})
    response["Content-Disposition"] = f'attachment; filename="attendance-delivery-{delivery.pk}.{fmt}"'
    return response


@login_required(login_url="accounts:code_login")
@require_http_methods(["GET", "POST"])
def check_in(request):
    if not roles.is_trainee(request.user):
        raise PermissionDenied(_("Self check-in is for trainees."))
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                result = services.check_in_record(user=request.user, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
                status = 400
            else:
                label = AttendanceStatus(result.status).label
                if result.already:
                    messages.info(request, _("You were already marked: %(status)s.") % {"status": label})
                else:
                    messages.success(
                        request,
                        _("You are checked in to %(session)s: %(status)s.")
                        % {
                            "session": course_title_for(result.session.delivery.course, get_language()),
                            "status": label,
                        },
                    )
                return redirect("attendance:check_in")
        else:
            status = 400
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:12]})
    opens_minutes = int(services.check_in_opens_before().total_seconds() // 60)
    return render(
        request, "attendance/check_in.html", {"form": form, "opens_minutes": opens_minutes}, status=status
    )
