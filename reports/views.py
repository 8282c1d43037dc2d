"""The /reports/ dashboard and its exports: thin views over reports.selectors.

Anonymous visitors are sent to log in; signed-in users who may not see
reports (trainers, trainees, editors) get 403. Coordinators' figures are
scoped in the selectors, not here.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from accounts import roles
from core import audit

from . import exports
from .charts import charts_for
from .filters import ReportFilterSet
from .selectors import report_figures
from .statements import results_statements


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


@reports_access
def dashboard(request: HttpRequest) -> HttpResponse:
    filterset, scope, figures = _report(request)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "filterset": filterset,
            "figures": figures,
            "headline": exports.headline_rows(figures),
            "statements": results_statements(scope, figures),
            "charts": charts_for(figures),
            "tables": exports.breakdown_tables(figures),
            "query": query,
            "is_coordinator_only": not roles.is_programme_staff(request.user),
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
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    filterset = ReportFilterSet(request.GET or None, user=request.user)
    pseudonymised = request.GET.get("pseudonymised") == "1"
    response = StreamingHttpResponse(
        exports.csv_stream(filterset.to_scope(), pseudonymised=pseudonymised),
        content_type="text/csv; charset=utf-8",
    )
    suffix = "-pseudonymised" if pseudonymised else ""
    audit.record_export(actor=request.user, what=f"participant-level CSV{suffix}", filters=request.GET.dict())
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename("csv").replace(".csv", suffix + ".csv")}"'
    )
    return response
