"""Views: thin. Each opens its object through a scoped queryset, so another person's data answers 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles, throttle
from core import audit
from core.collation import reader_order
from core.localtime import format_local
from courses.models import Enrolment, Participant, Session
from courses.rules import active_enrolment_q, deliveries_managed_by
from curriculum.content_cache import kept_key
from curriculum.models import CoursePage
from curriculum.selectors import attach_course_titles, course_title_and_language
from jobs.models import BackgroundJob
from jobs.services import job_start

from . import exports, selectors, services
from .forms import (
    MALFORMED_CODE,
    ManualIssueForm,
    MarkForm,
    PaperGrid,
    ReasonForm,
    TakeTestForm,
    VerifyLookupForm,
    choice_letter,
    paper_initial,
)
from .models import Answer, Attempt, Certificate, Phase, QuestionType, parse_certificate_code
from .pdf import certificates_pdf
from .tasks import delivery_certificates_pdf_task


def _phase_or_404(phase: str) -> str:
    if phase not in Phase.values:
        raise Http404
    return phase


def _managed_delivery(request, delivery_id: int):
    return get_object_or_404(
        deliveries_managed_by(request.user).select_related("course", "region"), pk=delivery_id
    )


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- trainee -----------------------------------------------------------------------------------

# Trainees sign in with the personal code on their slip, then come back here.
TRAINEE_LOGIN = "accounts:code_login"


def _my_session_html(row: selectors.MySession, *, delivery, labels: dict[str, str]) -> SafeString:
    """One session on /my/: where it stands in the trainee's week, its day and hours on the region's
    clock, its venue (or the delivery's) and whether it was cancelled.

    Printed here, not in the template, for the reason the roster's rows are (attendance.views): a
    row was a dozen template nodes around its three time-zone conversions and dates (issue 18).
    assessments/tests/test_my_session_rows.py checks it writes what the template loop wrote.
    """
    session = row.session
    region = delivery.region
    when = labels.get(row.when, "")
    if when:
        when = format_html(
            '<span class="my-when muted">{}</span> '
            if row.when == "past"
            else '<strong class="my-when">{}</strong> ',
            when,
        )
    venue = session.venue.name if session.venue else ""
    return format_html(
        '<li class="my-session my-session--{when_class}" id="session-{pk}">{when}{day}, {start}–{end} · {venue}'
        "{cancelled}</li>",
        when_class=row.when,
        pk=session.pk,
        when=when,
        day=format_local(session.starts_at, region, "D j E"),
        start=format_local(session.starts_at, region, "H:i"),
        end=format_local(session.ends_at, region, "H:i"),
        venue=venue or (delivery.venue.name if delivery.venue else "") or labels["no_venue"],
        cancelled=format_html(" · <em>{}</em>", labels["cancelled"])
        if session.status == Session.Status.CANCELLED
        else "",
    )


@login_required(login_url=TRAINEE_LOGIN)
def my(request):
    participant, training = selectors.my_participant_and_training(request.user)
    attach_course_titles([item.delivery for item in training], language=get_language())
    labels = {
        "today": _("Today"),
        "next": _("Next"),
        "past": _("Past"),
        "no_venue": _("No venue set"),
        "cancelled": _("cancelled"),
    }
    for item in training:
        item.session_rows = [
            _my_session_html(row, delivery=item.delivery, labels=labels) for row in item.sessions
        ]
    return render(request, "assessments/my.html", {"participant": participant, "training": training})


def _take_context(request, delivery, phase, form, instrument, **extra):
    # The course is named as in the delivery's language, like its test and printed material,
    # whatever the trainee's interface language; the template marks it with `lang`.
    course_title, course_language = course_title_and_language(delivery.course, delivery.language)
    return {
        "delivery": delivery,
        "course_title": course_title,
        "course_language": course_language,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "form": form,
        "instrument": instrument,
        **extra,
    }


@login_required(login_url=TRAINEE_LOGIN)
def take_test(request, delivery_id: int, phase: str):
    phase = _phase_or_404(phase)
    # The participant comes with their enrolment, as autosave reads them (one query, not two).
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("delivery__course", "participant").filter(active_enrolment_q()),
        delivery_id=delivery_id,
        participant__user=request.user,
    )
    participant, delivery = enrolment.participant, enrolment.delivery
    # A started attempt keeps the instrument it began with; otherwise the delivery's. Read once with
    # its locale, then its questions with their choices (issue 18: the page and the submit read the
    # instrument three times).
    attempt = (
        Attempt.objects.select_related("instrument__locale")
        .filter(delivery=delivery, participant=participant, phase=phase)
        .first()
    )
    instrument = attempt.instrument if attempt is not None else selectors.instrument_for_delivery(delivery)
    if instrument is None:
        raise Http404
    questions = selectors.questions_with_choices(instrument.pk)
    template = "assessments/take_test.html"

    if request.method == "POST":
        form = TakeTestForm(request.POST, questions=questions)
        if not form.is_valid():
            return render(
                request, template, _take_context(request, delivery, phase, form, instrument), status=400
            )
        try:
            attempt, created = services.attempt_submit(
                delivery=delivery,
                participant=participant,
                phase=phase,
                answers=form.answers(),
                token=form.cleaned_data["token"],
                questions=questions,
            )
        except ValidationError as error:
            # What was sent comes back in the form, so nothing typed is lost.
            return render(
                request,
                template,
                _take_context(request, delivery, phase, form, instrument, refusal=" ".join(error.messages)),
                status=409,
            )
        if created:
            messages.success(request, _("Thank you. Your answers were submitted."))
        else:
            messages.info(request, services.ALREADY_SUBMITTED)
        if request.headers.get("X-Requested-With") == "fetch":
            # The page's script navigates itself, so the message above is shown once, on that page.
            return JsonResponse({"submitted": True, "redirect": reverse("assessments:my")})
        return redirect("assessments:my")

    if attempt is not None and attempt.is_submitted:
        messages.info(request, services.ALREADY_SUBMITTED)
        return redirect("assessments:my")
    is_open = selectors.window_is_open(delivery, phase)
    initial = {"token": services.new_submission_token()}
    if attempt is not None:
        for answer in attempt.answers.prefetch_related("choices").select_related("question"):
            name = f"q{answer.question_id}"
            if answer.question.type == QuestionType.SINGLE:
                initial[name] = next((str(choice.pk) for choice in answer.choices.all()), "")
            elif answer.question.type == QuestionType.MULTIPLE:
                initial[name] = [str(choice.pk) for choice in answer.choices.all()]
            else:
                initial[name] = answer.value
    form = TakeTestForm(initial=initial, questions=questions)
    # A test with no answer yet looks the same to every trainee who opens it in one language: its
    # questions are printed once and kept under the content version (~a third of the page's time).
    blank_questions_key = kept_key("test-questions", instrument.pk) if initial.keys() == {"token"} else None
    context = _take_context(
        request, delivery, phase, form, instrument, is_open=is_open, blank_questions_key=blank_questions_key
    )
    if not is_open:
        context["refusal"] = services.WINDOW_CLOSED
    return render(request, template, context, status=200 if is_open else 409)


@login_required(login_url=TRAINEE_LOGIN)
@require_POST
def save_draft(request, delivery_id: int, phase: str):
    phase = _phase_or_404(phase)
    # Autosave runs every few seconds per trainee: the participant, the delivery with its course and
    # the instrument of a started attempt come in one query (issue 18: at most 10 per autosave).
    started_instrument = Attempt.objects.filter(
        delivery_id=OuterRef("delivery_id"), participant_id=OuterRef("participant_id"), phase=phase
    ).values("instrument_id")[:1]
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("delivery__course", "participant").annotate(
            started_instrument_id=Subquery(started_instrument)
        ),
        delivery_id=delivery_id,
        participant__user=request.user,
    )
    instrument_id = enrolment.started_instrument_id
    if instrument_id is None:
        instrument = selectors.instrument_for_delivery(enrolment.delivery)
        if instrument is None:
            raise Http404
        instrument_id = instrument.pk
    # The questions of the attempt's own instrument, as the test page shows them.
    questions = selectors.questions_with_choices(instrument_id)
    form = TakeTestForm(request.POST, questions=questions)
    if not form.is_valid():
        return JsonResponse({"saved": False, "error": _("Some answers are not valid.")}, status=400)
    try:
        services.attempt_save_draft(
            delivery=enrolment.delivery,
            participant=enrolment.participant,
            phase=phase,
            answers=form.answers(),
            questions=questions,
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=409)
    return JsonResponse({"saved": True})


@login_required(login_url=TRAINEE_LOGIN)
def my_certificate_pdf(request, code: str):
    stored = parse_certificate_code(code)
    certificate = get_object_or_404(
        selectors.certificates_for_print().filter(participant__user=request.user), code=stored or ""
    )
    pdf = certificates_pdf([certificate], base_url=_base_url(request), title=str(certificate))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    return response


# --- trainers and staff ------------------------------------------------------------------------


@login_required
def delivery_tests(request, delivery_id: int):
    delivery = _managed_delivery(request, delivery_id)
    if request.method == "POST":
        phase = _phase_or_404(request.POST.get("phase", ""))
        action = request.POST.get("action")
        if action == "open":
            services.window_open(delivery=delivery, phase=phase, user=request.user)
            messages.success(request, _("%(phase)s window opened.") % {"phase": Phase(phase).label})
        elif action == "close":
            services.window_close(delivery=delivery, phase=phase, user=request.user)
            messages.success(request, _("%(phase)s window closed.") % {"phase": Phase(phase).label})
        return redirect("assessments:delivery_tests", delivery_id=delivery.pk)
    windows = selectors.test_windows(delivery)
    counts = {
        phase: Attempt.objects.filter(delivery=delivery, phase=phase, status=Attempt.Status.SUBMITTED).count()
        for phase in Phase.values
    }
    phases = [
        {"value": value, "label": label, "window": windows[value], "submitted": counts[value]}
        for value, label in Phase.choices
    ]
    to_mark = Attempt.objects.filter(
        delivery=delivery, needs_marking=True, status=Attempt.Status.SUBMITTED
    ).count()
    return render(
        request,
        "assessments/delivery_tests.html",
        {
            "delivery": delivery,
            "instrument": selectors.instrument_for_delivery(delivery),
            "phases": phases,
            "to_mark": to_mark,
        },
    )


@login_required
def paper_entry(request, delivery_id: int, phase: str):
    phase = _phase_or_404(phase)
    delivery = _managed_delivery(request, delivery_id)
    instrument = selectors.instrument_for_delivery(delivery)
    if instrument is None:
        raise Http404
    questions = list(selectors.instrument_with_questions(instrument).questions.all())
    participants = [
        enrolment.participant
        for enrolment in Enrolment.objects.filter(active_enrolment_q(), delivery=delivery)
        .select_related("participant")
        .order_by(*reader_order("participant__"), "participant_id")
    ]
    attempts = list(
        Attempt.objects.filter(delivery=delivery, phase=phase).prefetch_related("answers__choices")
    )
    locked = {a.participant_id for a in attempts if a.source == Attempt.Source.ONLINE and a.is_submitted}
    paper = [a for a in attempts if a.source == Attempt.Source.PAPER]
    status = 200
    if request.method == "POST":
        grid = PaperGrid(questions=questions, participants=participants, data=request.POST)
        if grid.is_valid():
            rows = [
                services.PaperRow(participant=participant, answers=answers)
                for participant, answers in grid.rows
                if participant.pk not in locked
            ]
            try:
                saved = services.paper_attempts_save(
                    delivery=delivery, phase=phase, rows=rows, entered_by=request.user
                )
            except ValidationError as error:
                grid.errors = error.messages
            else:
                messages.success(
                    request,
                    ngettext("%(count)s paper test saved.", "%(count)s paper tests saved.", saved)
                    % {"count": saved},
                )
                return redirect("assessments:paper_entry", delivery_id=delivery.pk, phase=phase)
        status = 400
    else:
        grid = PaperGrid(
            questions=questions, participants=participants, initial=paper_initial(paper, questions)
        )
    legend = [
        {
            "number": number,
            "question": question,
            "choices": [
                (choice_letter(index), choice.text) for index, choice in enumerate(question.choices.all())
            ],
        }
        for number, question in enumerate(questions, start=1)
    ]
    return render(
        request,
        "assessments/paper_entry.html",
        {
            "delivery": delivery,
            "phase": phase,
            "phase_label": Phase(phase).label,
            "grid": grid,
            "table": grid.table(locked),
            "legend": legend,
            "questions": questions,
        },
        status=status,
    )


@login_required
def marking(request, delivery_id: int):
    delivery = _managed_delivery(request, delivery_id)
    answers = (
        Answer.objects.filter(
            attempt__delivery=delivery,
            attempt__status=Attempt.Status.SUBMITTED,
            question__type=QuestionType.SHORT_TEXT,
        )
        .exclude(value="")
        .select_related("attempt__participant", "question")
        .order_by("question__sort_order", *reader_order("attempt__participant__"), "pk")
    )
    return render(request, "assessments/marking.html", {"delivery": delivery, "answers": answers})


@login_required
@require_POST
def mark_answer(request, answer_id: int):
    answer = get_object_or_404(
        Answer.objects.select_related("attempt", "question").filter(
            attempt__delivery__in=deliveries_managed_by(request.user).values("pk")
        ),
        pk=answer_id,
    )
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.answer_mark(answer=answer, points=form.cleaned_data["points"], marked_by=request.user)
            messages.success(request, _("Mark saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Type the points as a number."))
    return redirect("assessments:marking", delivery_id=answer.attempt.delivery_id)


def _results_response(request, results, template_context, export: str | None, filename: str):
    if export in ("csv", "xlsx"):
        audit.record_export(actor=request.user, what=f"{filename}.{export}", filters=request.GET.dict())
    if export == "csv":
        response = HttpResponse(exports.results_csv(results), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            exports.results_xlsx(results),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    return render(request, "assessments/results.html", {"results": results, **template_context})


@login_required
def delivery_results(request, delivery_id: int, export: str | None = None):
    delivery = get_object_or_404(
        selectors.results_deliveries_for(request.user).select_related("course", "region"), pk=delivery_id
    )
    results = selectors.delivery_results(delivery)
    context = {
        "delivery": delivery,
        "title": _("Test results: %(delivery)s") % {"delivery": delivery},
        "csv_url": reverse("assessments:delivery_results_csv", args=[delivery.pk]),
        "xlsx_url": reverse("assessments:delivery_results_xlsx", args=[delivery.pk]),
    }
    return _results_response(request, results, context, export, f"results-delivery-{delivery.pk}")


@login_required
def course_results(request, course_id: int, export: str | None = None):
    if not (roles.can_see_reports(request.user) or roles.is_trainer(request.user)):
        raise PermissionDenied
    course = get_object_or_404(CoursePage.objects.all(), pk=course_id)
    results = selectors.course_results(course, request.user)
    context = {
        "course": course,
        "title": _("Test results: %(course)s, all deliveries") % {"course": course.title},
        "csv_url": reverse("assessments:course_results_csv", args=[course.pk]),
        "xlsx_url": reverse("assessments:course_results_xlsx", args=[course.pk]),
    }
    return _results_response(request, results, context, export, f"results-course-{course.pk}")


def _can_issue_by_hand(user) -> bool:
    return roles.can_plan_deliveries(user)


@login_required
def delivery_certificates(request, delivery_id: int):
    delivery = _managed_delivery(request, delivery_id)
    participants = Participant.objects.filter(enrolments__delivery=delivery)
    manual_form = ManualIssueForm(participants=participants)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "issue":
            try:
                issued = services.certificates_issue(delivery=delivery, issued_by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    ngettext("%(count)s certificate issued.", "%(count)s certificates issued.", len(issued))
                    % {"count": len(issued)},
                )
            return redirect("assessments:delivery_certificates", delivery_id=delivery.pk)
        if request.POST.get("action") == "manual":
            if not _can_issue_by_hand(request.user):
                raise PermissionDenied
            manual_form = ManualIssueForm(request.POST, participants=participants)
            if manual_form.is_valid():
                try:
                    services.certificate_issue_manual(
                        delivery=delivery,
                        participant=manual_form.cleaned_data["participant"],
                        reason=manual_form.cleaned_data["reason"],
                        issued_by=request.user,
                    )
                except ValidationError as error:
                    manual_form.add_error(None, error)
                else:
                    messages.success(request, _("Certificate issued."))
                    return redirect("assessments:delivery_certificates", delivery_id=delivery.pk)
            status = 400
    return render(
        request,
        "assessments/delivery_certificates.html",
        {
            "delivery": delivery,
            "candidates": selectors.certificate_candidates(delivery=delivery),
            "manual_form": manual_form,
            "revoke_form": ReasonForm(),
            "can_issue_by_hand": _can_issue_by_hand(request.user),
            # Above the threshold the print is a background job (docs/scaling.md); one COUNT.
            "prints_in_background": selectors.certificates_for_print([delivery.pk])
            .filter(revoked_at__isnull=True)
            .count()
            > settings.HAMKORI_BACKGROUND_CERTIFICATES_OVER,
        },
        status=status,
    )


@login_required
def delivery_certificates_pdf(request, delivery_id: int):
    delivery = _managed_delivery(request, delivery_id)
    certificates = list(selectors.certificates_for_print([delivery.pk]).filter(revoked_at__isnull=True))
    if len(certificates) > settings.HAMKORI_BACKGROUND_CERTIFICATES_OVER:
        # Too many to draw while the request waits: the certificates page offers the background job.
        messages.info(
            request,
            _("%(count)s certificates are too many to print at once: prepare them in the background.")
            % {"count": len(certificates)},
        )
        return redirect("assessments:delivery_certificates", delivery_id=delivery.pk)
    pdf = certificates_pdf(certificates, base_url=_base_url(request), title=str(delivery))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificates-delivery-{delivery.pk}.pdf"'
    audit.record_export(actor=request.user, what=f"certificates PDF delivery {delivery.pk}")
    return response


@login_required
@require_POST
def delivery_certificates_background(request, delivery_id: int):
    """Start the delivery's certificates PDF as a background job and show its progress."""
    delivery = _managed_delivery(request, delivery_id)
    job = job_start(
        owner=request.user,
        kind=BackgroundJob.Kind.CERTIFICATES,
        title=_("Certificates: %(delivery)s") % {"delivery": delivery},
        task=delivery_certificates_pdf_task,
        parameters={"delivery_id": delivery.pk, "base_url": _base_url(request)},
        back_url=reverse("assessments:delivery_certificates", args=[delivery.pk]),
    )
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def certificate_revoke(request, certificate_id: int):
    if not _can_issue_by_hand(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(
        Certificate.objects.filter(delivery__in=deliveries_managed_by(request.user).values("pk")),
        pk=certificate_id,
    )
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], revoked_by=request.user
            )
            messages.success(request, _("Certificate %(code)s revoked.") % {"code": certificate.display_code})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, services.REASON_REQUIRED)
    return redirect("assessments:delivery_certificates", delivery_id=certificate.delivery_id)


# --- public ------------------------------------------------------------------------------------


def verify_lookup(request):
    form = VerifyLookupForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("assessments:verify", code=form.cleaned_data["code"])
    return render(
        request, "assessments/verify_lookup.html", {"form": form}, status=400 if form.errors else 200
    )


# Wrong certificate codes are counted per client address (accounts.throttle): a right code
# shows a name, so the codes must not be guessable by trying many.
VERIFY_THROTTLE_SCOPE = "certificate-verify"


def verify(request, code: str):
    stored = parse_certificate_code(code)
    if stored is None:
        return render(
            request,
            "assessments/verify.html",
            {"problem": MALFORMED_CODE, "form": VerifyLookupForm()},
            status=404,
        )
    budgets = [throttle.address_budget(scope=VERIFY_THROTTLE_SCOPE, request=request)]
    state = throttle.throttle_reserve(budgets=budgets)
    if state.locked:
        context = {"problem": throttle.lockout_message(state.retry_after)}
        return render(request, "assessments/verify.html", context, status=429)
    certificate = selectors.certificate_by_code(stored)
    if certificate is None:
        return render(
            request,
            "assessments/verify.html",
            {
                "problem": _("No certificate has this code. Check it and try again."),
                "form": VerifyLookupForm(),
            },
            status=404,
        )
    throttle.throttle_release(budgets=budgets)  # a real code is not a guess
    # Named as the certificate prints it: in the delivery's language (marked with `lang` on the page).
    course_title, course_language = course_title_and_language(
        certificate.delivery.course, certificate.delivery.language
    )
    context = {"certificate": certificate, "course_title": course_title, "course_language": course_language}
    return render(request, "assessments/verify.html", context)
