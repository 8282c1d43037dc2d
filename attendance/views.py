"""Attendance pages. Thin: scope the object to the user (404 otherwise), parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import roles
from core import audit
from courses.models import Delivery, Session
from courses.selectors import deliveries_managed_by, sessions_managed_by

from . import exports, pdf, services
from .forms import STATUS_KEYS, CheckInForm, WalkInForm, form_token, parse_marks
from .models import AttendanceSource, AttendanceStatus
from .qr import qr_svg
from .selectors import delivery_attendance, excused_counts_as_attended, session_history, session_roster


def _managed_session(request, pk: int) -> Session:
    sessions = sessions_managed_by(request.user).select_related(
        "delivery__region", "delivery__course", "delivery__venue", "venue"
    )
    return get_object_or_404(sessions, pk=pk)


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
        entry["key"] = STATUS_KEYS.get(entry["status"], entry["status"])
        rows.append(entry)
    return rows


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
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk: int):
    session = _managed_session(request, pk)
    if request.method == "POST":
        try:
            marks = parse_marks(
                session=session, data=request.POST, all_present=request.POST.get("action") == "all_present"
            )
            result = services.attendance_marks_save(
                session=session, marks=marks, recorded_by=request.user, source=AttendanceSource.WEB
            )
        except ValidationError as error:
            return _render_roster(request, session, errors=error.messages, data=request.POST, status=400)
        _report_save(request, result)
        return redirect("attendance:session", pk=session.pk)
    return _render_roster(request, session)


def _render_roster(request, session: Session, *, errors=(), data=None, status=200, walk_in_form=None):
    delivery = session.delivery
    code = services.check_in_code_for(session=session)
    check_in_url = request.build_absolute_uri(reverse("attendance:check_in")) + f"?code={code.code}"
    context = {
        "session": session,
        "delivery": delivery,
        "zone": delivery.region.zone,
        "rows": _rows_for_form(session, data),
        "statuses": AttendanceStatus.choices,
        "token": form_token(session),
        "errors": errors,
        "code": code.code,
        "check_in_url": check_in_url,
        "check_in_opens": session.starts_at - services.check_in_opens_before(),
        "walk_in_form": walk_in_form or WalkInForm(delivery=delivery),
        "cancelled": session.status == Session.Status.CANCELLED,
    }
    return render(request, "attendance/session_attendance.html", context, status=status)


@login_required
def check_in_qr(request, pk: int):
    session = _managed_session(request, pk)
    code = services.check_in_code_for(session=session)
    url = request.build_absolute_uri(reverse("attendance:check_in")) + f"?code={code.code}"
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


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
    participant_id = request.GET.get("participant")
    changes = session_history(
        session=session, participant_id=int(participant_id) if (participant_id or "").isdigit() else None
    )
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
        "keys": [(key, label) for key, label in _paper_key_labels()],
    }
    return render(request, "attendance/paper_entry.html", context, status=status)


def _paper_key_labels():
    from .forms import PAPER_KEYS

    labels = dict(AttendanceStatus.choices)
    return [(key, labels[status]) for key, status in PAPER_KEYS.items()]


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
                        % {"session": result.session.delivery.course.title, "status": label},
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
