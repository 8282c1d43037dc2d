"""The workbook import pages: download the template, upload for a preview, confirm to apply.

The upload is kept between preview and confirmation as a file named by its SHA-256 in a private
temporary folder (never under MEDIA_ROOT, which may be served), and the confirmation carries a
signed token naming that hash and the user; confirming re-reads and re-checks the same bytes, so
what is applied is what was previewed, or nothing if the records changed meanwhile.
"""

import hashlib
import re
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from core import audit

from . import selectors, workbook
from .filters import DeliveryFilter
from .models import Delivery

TOKEN_SALT = "courses.workbook.import"
TOKEN_MAX_AGE = 60 * 60
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
PREVIEW_EXPIRED = gettext_lazy("This preview has expired or was already applied. Upload the workbook again.")

# The sheets' names as the page shows them (the sheets themselves keep their English names, which
# the import reads).
SHEET_LABELS = {
    workbook.ORGANISATIONS: gettext_lazy("Organisations"),
    workbook.PARTICIPANTS: gettext_lazy("Participants"),
    workbook.DELIVERIES: gettext_lazy("Deliveries"),
    workbook.SESSIONS: gettext_lazy("Sessions"),
    workbook.ENROLMENTS: gettext_lazy("Enrolments"),
    workbook.ATTENDANCE: gettext_lazy("Attendance"),
    workbook.SCORES: gettext_lazy("Test scores"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): a workbook, or its sheets as CSV."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class WorkbookForm(forms.Form):
    file = MultipleFileField(
        label=gettext_lazy("Workbook (XLSX), or sheets as CSV files"),
        help_text=gettext_lazy("Choose several CSV files at once to import sheets that refer to each other."),
    )
    sheet = forms.ChoiceField(
        label=gettext_lazy("Sheet in a CSV file"),
        choices=[("", gettext_lazy("Tell from its columns")), *SHEET_LABELS.items()],
        required=False,
        help_text=gettext_lazy("Only for a CSV file; a workbook names its sheets itself."),
    )


def _upload_dir() -> Path:
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", Path(tempfile.gettempdir()) / "hamkori-imports"))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _importer_required(user) -> None:
    if not roles.can_plan_deliveries(user):
        raise PermissionDenied


@login_required
def import_template(request):
    _importer_required(request.user)
    response = HttpResponse(workbook.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="hamkori-import-template.xlsx"'
    return response


@login_required
def import_template_csv(request, sheet: str):
    """One sheet of the template as CSV, with an example row."""
    _importer_required(request.user)
    if sheet not in workbook.SHEETS:
        raise Http404
    response = HttpResponse(workbook.csv_template(sheet), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="hamkori-{sheet}.csv"'
    return response


@login_required
def export_workbook(request):
    """Staff: the deliveries the delivery list's filters select (all without filters), as the workbook
    the import reads."""
    if not roles.is_programme_staff(request.user):
        raise PermissionDenied
    filterset = DeliveryFilter(
        request.GET or None, queryset=selectors.delivery_list(request.user), request=request
    )
    deliveries = Delivery.objects.filter(pk__in=filterset.qs.values("pk"))
    audit.record_export(actor=request.user, what="programme records workbook", filters=request.GET.dict())
    response = HttpResponse(workbook.export_workbook(deliveries=deliveries), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="hamkori-records.xlsx"'
    return response


@login_required
def import_workbook(request):
    """Upload and preview: nothing is written until the preview is confirmed."""
    _importer_required(request.user)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    plan = token = None
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["file"]
        if sum(upload.size for upload in uploads) > workbook.MAX_UPLOAD_BYTES:
            form.add_error("file", workbook.TOO_BIG % {"size": workbook.MAX_UPLOAD_BYTES // (1024 * 1024)})
        else:
            files, sheet = [upload.read() for upload in uploads], form.cleaned_data["sheet"]
            plan = workbook.import_workbook(data=files, user=request.user, commit=False, sheet=sheet)
            if plan.ok and not plan.creates_nothing:
                digests = []
                for data in files:
                    digests.append(hashlib.sha256(data).hexdigest())
                    (_upload_dir() / f"{digests[-1]}.upload").write_bytes(data)
                claim = {"shas": digests, "user": request.user.pk, "sheet": sheet}
                token = signing.dumps(claim, salt=TOKEN_SALT)
    context = {
        "form": form,
        "plan": plan,
        "token": token,
        "can_export": roles.is_programme_staff(request.user),
        "csv_sheets": SHEET_LABELS.items(),
    }
    return render(request, "courses/import_workbook.html", context)


@login_required
@require_POST
def import_workbook_confirm(request):
    _importer_required(request.user)
    try:
        claim = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        claim = None
    shas = claim.get("shas", []) if claim and claim.get("user") == request.user.pk else []
    paths = [_upload_dir() / f"{sha}.upload" for sha in shas if re.fullmatch(r"[0-9a-f]{64}", sha)]
    if not paths or len(paths) != len(shas) or not all(path.exists() for path in paths):
        messages.error(request, PREVIEW_EXPIRED)
        return redirect("courses:import_workbook")
    files = [path.read_bytes() for path in paths]
    if [hashlib.sha256(data).hexdigest() for data in files] != shas:
        messages.error(request, PREVIEW_EXPIRED)
        return redirect("courses:import_workbook")
    with audit.acting_as(request.user):
        plan = workbook.import_workbook(
            data=files, user=request.user, commit=True, sheet=claim.get("sheet", "")
        )
    if not plan.ok:
        # The records changed since the preview: show what is wrong now; nothing was saved.
        context = {"form": WorkbookForm(), "plan": plan, "token": None, "csv_sheets": SHEET_LABELS.items()}
        return render(request, "courses/import_workbook.html", context)
    for path in paths:
        path.unlink(missing_ok=True)
    if plan.creates_nothing:
        messages.info(request, _("Everything in this workbook is already recorded; nothing was created."))
    else:
        messages.success(request, _("The workbook was imported."))
    return redirect("courses:import_workbook")


class DeliveryImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Participants sheet (XLSX or CSV)"), required=False)
    rows = forms.CharField(
        label=gettext_lazy("Or paste rows from a spreadsheet, header row first"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )


@login_required
def delivery_import(request, pk: int):
    """Upload a participants sheet (or paste rows) and enrol them in this delivery, after a preview."""
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    form = DeliveryImportForm(request.POST or None, request.FILES or None)
    plan = token = None
    if request.method == "POST" and form.is_valid():
        upload, pasted = form.cleaned_data["file"], form.cleaned_data["rows"]
        if upload is not None and upload.size > workbook.MAX_UPLOAD_BYTES:
            form.add_error("file", workbook.TOO_BIG % {"size": workbook.MAX_UPLOAD_BYTES // (1024 * 1024)})
        elif upload is None and not pasted.strip():
            form.add_error(None, _("Choose a file or paste rows."))
        else:
            data = upload.read() if upload is not None and not pasted.strip() else pasted.encode()
            kind = "xlsx" if upload is not None and not pasted.strip() else "paste"
            plan = _delivery_plan(delivery, request.user, data, kind, commit=False)
            if plan.ok and not plan.creates_nothing:
                digest = hashlib.sha256(data).hexdigest()
                (_upload_dir() / f"{digest}.{kind}").write_bytes(data)
                claim = {"sha": digest, "user": request.user.pk, "delivery": delivery.pk, "kind": kind}
                token = signing.dumps(claim, salt=TOKEN_SALT)
    context = {"form": form, "plan": plan, "token": token, "delivery": delivery}
    return render(request, "courses/import_delivery.html", context)


def _delivery_plan(delivery, user, data: bytes, kind: str, *, commit: bool):
    if kind == "paste":
        return workbook.import_into_delivery(
            delivery=delivery, user=user, commit=commit, pasted=data.decode("utf-8", "replace")
        )
    return workbook.import_into_delivery(delivery=delivery, user=user, commit=commit, data=data)


@login_required
@require_POST
def delivery_import_confirm(request, pk: int):
    delivery = get_object_or_404(selectors.deliveries_planned_by(request.user), pk=pk)
    try:
        claim = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        claim = None
    valid = claim and claim.get("user") == request.user.pk and claim.get("delivery") == delivery.pk
    path = (
        _upload_dir() / f"{claim['sha']}.{claim['kind']}"
        if valid and claim.get("kind") in ("xlsx", "paste")
        else None
    )
    if path is None or not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != claim["sha"]:
        messages.error(request, PREVIEW_EXPIRED)
        return redirect("courses:delivery_import", pk=delivery.pk)
    with audit.acting_as(request.user):
        plan = _delivery_plan(delivery, request.user, path.read_bytes(), claim["kind"], commit=True)
    if not plan.ok:
        context = {"form": DeliveryImportForm(), "plan": plan, "token": None, "delivery": delivery}
        return render(request, "courses/import_delivery.html", context)
    path.unlink(missing_ok=True)
    messages.success(
        request, _("Enrolled from the sheet: %(count)s.") % {"count": plan.created["enrolments"]}
    )
    return redirect("courses:delivery_detail", pk=delivery.pk)
