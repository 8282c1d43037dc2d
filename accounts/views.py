from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from .backends import PersonalCodeBackend
from .forms import PersonalCodeForm
from .throttle import throttle_record_failure, throttle_reset, throttle_state

PERSONAL_CODE_SCOPE = "personal_code"
WRONG_CODE_MESSAGE = gettext_lazy(
    "This code is not valid. Check it against your slip, or ask your trainer for a new one."
)


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def lockout_message(retry_after) -> str:
    minutes = max(1, int((retry_after - timezone.now()).total_seconds() // 60) + 1)
    return ngettext(
        "Too many wrong codes. Try again in %(minutes)d minute.",
        "Too many wrong codes. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _trainee_home(request: HttpRequest) -> str:
    """Back to where the trainee was going (e.g. a check-in link from a QR code), else their page."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    try:
        return reverse("assessments:my")
    except NoReverseMatch:
        return "/"


@require_http_methods(["GET", "POST"])
def code_login(request: HttpRequest) -> HttpResponse:
    """Trainees sign in with the personal code from their slip: no username, no e-mail."""
    form = PersonalCodeForm(request.POST or None)
    key = client_ip(request)
    state = throttle_state(scope=PERSONAL_CODE_SCOPE, key=key)
    status = 200
    if request.method == "POST":
        if state.locked:
            form.add_error(None, lockout_message(state.retry_after))
            status = 429
        elif form.is_valid():
            # The backend is called directly: this entry point has its own throttle, and
            # authenticate() would also count a wrong code against django-axes.
            user = PersonalCodeBackend().authenticate(request, personal_code=form.cleaned_data["code"])
            if user is not None:
                throttle_reset(scope=PERSONAL_CODE_SCOPE, key=key)
                login(request, user, backend="accounts.backends.PersonalCodeBackend")
                messages.success(request, _("Welcome, %(name)s.") % {"name": user.get_full_name() or user})
                return redirect(_trainee_home(request))
            state = throttle_record_failure(scope=PERSONAL_CODE_SCOPE, key=key)
            form.add_error("code", lockout_message(state.retry_after) if state.locked else WRONG_CODE_MESSAGE)
            status = 429 if state.locked else 200
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/code_login.html", context, status=status)


def password_locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """django-axes lockout page: says how long until the user may try again, in their language."""
    from axes.models import AccessAttempt
    from django.conf import settings

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
        .order_by("-attempt_time")
        .first()
    )
    cooloff = settings.AXES_COOLOFF_TIME
    retry_after = (attempt.attempt_time if attempt else timezone.now()) + cooloff
    minutes = max(1, int((retry_after - timezone.now()).total_seconds() // 60) + 1)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
