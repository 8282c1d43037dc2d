"""Data-subject requests (programme staff) and the audit trail (superusers). Read-only but for erasure."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from core import audit
from core.models import AuditEvent
from courses.models import Participant

from . import pdf, services
from .forms import EraseForm

AUDIT_PAGE_SIZE = 50


def _participant_for_staff(request: HttpRequest, pk: int) -> Participant:
    """Programme staff only: a data-subject request concerns every region's records."""
    if not roles.is_programme_staff(request.user):
        raise PermissionDenied
    return get_object_or_404(Participant.objects.select_related("user", "region", "organisation"), pk=pk)


@login_required
def participant_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for_staff(request, pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_erase(
                participant=participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The participant's personal data was erased."))
            return redirect("privacy:participant", pk=participant.pk)
    export = services.participant_export(participant=participant)
    context = {
        "participant": participant,
        "erased": services.is_erased(participant),
        "related_counts": [(label, len(rows)) for label, rows in export["related"].items()],
        "audit_count": len(export["audit_events"]),
        "form": form,
    }
    return render(request, "privacy/participant.html", context)


@login_required
def participant_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for_staff(request, pk)
    export = services.participant_export(participant=participant)
    audit.record_export(actor=request.user, what="participant data (JSON)", filters={"participant": pk})
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="participant-{pk}.json"'
    return response


@login_required
def participant_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_for_staff(request, pk)
    export = services.participant_export(participant=participant)
    audit.record_export(actor=request.user, what="participant data (PDF)", filters={"participant": pk})
    response = HttpResponse(pdf.participant_summary_pdf(export=export), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="participant-{pk}.pdf"'
    return response


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail for superusers; nothing on it can be changed."""
    if not request.user.is_superuser:
        raise PermissionDenied
    events = AuditEvent.objects.select_related("content_type")
    participant = request.GET.get("participant", "")
    if participant.isdigit():
        events = events.filter(participant_id=int(participant))
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "participant": participant,
        "participant_query": f"participant={participant}" if participant.isdigit() else "",
    }
    return render(request, "privacy/audit_list.html", context)
