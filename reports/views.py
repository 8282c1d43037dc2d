"""The /reports/ dashboard and its exports: thin views over reports.selectors.

Anonymous visitors are sent to log in; signed-in users who may not see
reports (trainers, trainees, editors) get 403. Coordinators' figures are
scoped in the selectors, not here.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core import audit
from core.localtime import format_local, zone_label
from curriculum.content_cache import asked_values, kept_key
from jobs.models import BackgroundJob
from jobs.services import job_start

from . import exports
from .charts import charts_for
from .filters import ReportFilterSet
from .selectors import FIGURES_CACHE_SECONDS, participant_rows, report_figures
from .statements import results_statements
from .tasks import facts_rebuild_task, participant_csv_task


def reports_access(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not roles.can_see_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _report(request: HttpRequest):
    filterset = ReportFilterSet(request.GET or None, user=request.user)
    scope = filterset.to_scope()
    figures = report_figures(scope)
    return filterset, scope, figures


def _as_of(moment) -> str:
    """When the figures were last complete, shown while a refresh of the report tables runs; "" otherwise."""
    if moment is None:
        return ""
    return f"{format_local(moment, 'UTC')} ({zone_label('UTC', moment)})"


def filter_fields_key(request: HttpRequest, filterset: ReportFilterSet) -> str | None:
    """What the filter's printed fields are kept under; None when they are printed afresh.

    Its selects list every country, region, project and course: four queries and their options on
    every dashboard (issue 18), the same for all programme staff in one language with the same
    values asked. Kept under the content version, which a change to any of those options replaces
    (courses/option_lists.py, curriculum/signals.py). A coordinator's regions are their own, and a
    form with values it could not read shows them: neither is kept.
    """
    if not roles.is_programme_staff(request.user) or filterset.form.errors:
        return None
    return kept_key("reports-filter", asked_values(request, filterset.filters))


@reports_access
def dashboard(request: HttpRequest) -> HttpResponse:
    filterset, scope, figures = _report(request)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "filterset": filterset,
            # The fields are printed only when the copy kept under this key is missing.
            "filter_fields_key": filter_fields_key(request, filterset),
            "figures": figures,
            # Callables, which the template calls when it draws them: not at all when the part of
            # the page drawn from the figures is kept from an earlier request (figures.cache_key).
            "headline": lambda: exports.headline_rows(figures),
            "statements": lambda: results_statements(scope, figures),
            "charts": lambda: charts_for(figures),
            "tables": lambda: exports.breakdown_tables(figures),
            "figures_cache_seconds": FIGURES_CACHE_SECONDS,
            "query": query,
            "is_coordinator_only": not roles.is_programme_staff(request.user),
            "as_of": _as_of(figures.as_of),
            # The full rebuild touches everyone's figures: programme staff only.
            "can_rebuild_tables": roles.is_programme_staff(request.user),
        },
    )


@reports_access
def export_xlsx(request: HttpRequest) -> HttpResponse:
    filterset, scope, figures = _report(request)
    content = exports.xlsx_bytes(
        figures=figures, filters=filterset.described(), statements=results_statements(scope, figures)
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename("xlsx")}"'
    audit.record_export(actor=request.user, what="programme report XLSX", filters=request.GET.dict())
    return response


@reports_access
def export_pdf(request: HttpRequest) -> HttpResponse:
    filterset, scope, figures = _report(request)
    content = exports.pdf_bytes(
        figures=figures, filters=filterset.described(), statements=results_statements(scope, figures)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename("pdf")}"'
    audit.record_export(actor=request.user, what="programme report PDF", filters=request.GET.dict())
    return response


@reports_access
def export_csv(request: HttpRequest) -> HttpResponse:
    filterset = ReportFilterSet(request.GET or None, user=request.user)
    pseudonymised = request.GET.get("pseudonymised") == "1"
    scope = filterset.to_scope()
    rows = participant_rows(scope).count()
    if rows > settings.HAMKORI_BACKGROUND_EXPORT_ROWS_OVER:
        # Too long to stream while a slow connection waits: offer it as a background job.
        return render(
            request,
            "reports/export_in_background.html",
            {"rows": rows, "filters": filterset.described(), "query": request.GET.urlencode()},
        )
    response = StreamingHttpResponse(
        exports.csv_stream(scope, pseudonymised=pseudonymised),
        content_type="text/csv; charset=utf-8",
    )
    suffix = "-pseudonymised" if pseudonymised else ""
    audit.record_export(actor=request.user, what=f"participant-level CSV{suffix}", filters=request.GET.dict())
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename("csv").replace(".csv", suffix + ".csv")}"'
    )
    return response


@reports_access
@require_POST
def export_csv_background(request: HttpRequest) -> HttpResponse:
    """Start the participant CSV of the filters in the query string as a background job."""
    filterset = ReportFilterSet(request.GET or None, user=request.user)
    pseudonymised = request.GET.get("pseudonymised") == "1"
    title = _("Participant list (pseudonymised CSV)") if pseudonymised else _("Participant list (CSV)")
    described = "; ".join(f"{label}: {value}" for label, value in filterset.described())
    job = job_start(
        owner=request.user,
        kind=BackgroundJob.Kind.PARTICIPANT_CSV,
        title=f"{title} — {described}" if described else title,
        task=participant_csv_task,
        parameters={"query": request.GET.urlencode(), "pseudonymised": pseudonymised},
        back_url=reverse("reports:dashboard") + (f"?{request.GET.urlencode()}" if request.GET else ""),
    )
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def rebuild_tables(request: HttpRequest) -> HttpResponse:
    """Rebuild the report tables in full, in the background (programme staff)."""
    if not roles.is_programme_staff(request.user):
        raise PermissionDenied
    job = job_start(
        owner=request.user,
        kind=BackgroundJob.Kind.FACTS_REBUILD,
        title=_("Rebuild of the report tables"),
        task=facts_rebuild_task,
        back_url=reverse("reports:dashboard"),
    )
    return redirect("jobs:detail", job_id=job.pk)
