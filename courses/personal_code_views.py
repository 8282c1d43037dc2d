"""Printing personal-code slips: one participant's, or a whole delivery's at once."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from .personal_codes import (
    participants_code_issuable_by,
    personal_code_issue_for_participant,
    personal_codes_issue_for_delivery,
    personal_codes_withheld_for_delivery,
)
from .selectors import deliveries_managed_by


@login_required
@require_http_methods(["GET", "POST"])
def participant_personal_code(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = get_object_or_404(participants_code_issuable_by(request.user), pk=participant_id)
    if request.method == "POST":
        slip = personal_code_issue_for_participant(participant=participant, issued_by=request.user)
        return render(request, "courses/personal_code_slips.html", {"slips": [slip], "subject": participant})
    return render(request, "courses/personal_code_confirm.html", {"participant": participant})


@login_required
@require_http_methods(["GET", "POST"])
def delivery_personal_codes(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(deliveries_managed_by(request.user).select_related("course"), pk=delivery_id)
    if request.method == "POST":
        slips = personal_codes_issue_for_delivery(
            delivery=delivery, issued_by=request.user, replace_existing=request.POST.get("replace") == "on"
        )
        withheld = personal_codes_withheld_for_delivery(delivery=delivery, user=request.user)
        return render(
            request,
            "courses/personal_code_slips.html",
            {"slips": slips, "subject": delivery, "withheld": withheld},
        )
    return render(request, "courses/personal_code_confirm.html", {"delivery": delivery})
