from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import roles
from .backends import PersonalCodeBackend
from .forms import PersonalCodeForm
from .throttle import (
    address_budget,
    client_address,
    lockout_message,
    throttle_release,
    throttle_reserve,
    throttle_state,
)

# Wrong personal codes are counted per client address (a wrong code names no account);
# wrong passwords per address across accounts, on top of django-axes' count per account.
PERSONAL_CODE_SCOPE = "personal-code"
PASSWORD_SCOPE = "password"
WRONG_CODE_MESSAGE = gettext_lazy(
    "This code is not valid. Check it against your slip, or ask your trainer for a new one."
)


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
    budgets = [
        address_budget(
            scope=PERSONAL_CODE_SCOPE, request=request, failures=settings.HAMKORI_THROTTLE_FAILURES
        )
    ]
    status = 200
    if request.method == "POST" and form.is_valid():
        # The attempt is reserved before the code is checked, so parallel guesses share one budget.
        state = throttle_reserve(budgets=budgets)
        if state.locked:
            form.add_error(None, lockout_message(state.retry_after))
            status = 429
        else:
            # The backend is called directly: this entry point has its own throttle, and
            # authenticate() would also count a wrong code against django-axes.
            user = PersonalCodeBackend().authenticate(request, personal_code=form.cleaned_data["code"])
            if user is not None:
                # Only this attempt's place is given back: the address's earlier wrong codes still
                # count, so holding one good code buys no extra guesses.
                throttle_release(budgets=budgets)
                login(request, user, backend="accounts.backends.PersonalCodeBackend")
                messages.success(request, _("Welcome, %(name)s.") % {"name": user.get_full_name() or user})
                return redirect(_trainee_home(request))
            state = throttle_state(budgets=budgets)
            form.add_error("code", lockout_message(state.retry_after) if state.locked else WRONG_CODE_MESSAGE)
            status = 429 if state.locked else 200
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/code_login.html", context, status=status)


class PasswordLoginView(LoginView):
    """Staff sign in with a password. django-axes locks one username at one address after
    AXES_FAILURE_LIMIT wrong passwords; this view also caps wrong passwords from one address
    across all usernames (HAMKORI_THROTTLE_ADDRESS_FAILURES, a higher number), so trying a few
    passwords on many accounts is stopped too, while one locked account leaves the others open."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a `next` address a trainer lands on Today, where their day's rosters are."""
        if roles.is_trainer(self.request.user):
            return reverse("attendance:today")
        return super().get_default_redirect_url()

    def post(self, request, *args, **kwargs):
        budgets = [address_budget(scope=PASSWORD_SCOPE, request=request)]
        state = throttle_reserve(budgets=budgets)
        if state.locked:
            return _locked_out(request, state.retry_after, whole_address=True)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated or getattr(request, "axes_locked_out", False):
            # Signed in, or refused by django-axes for a locked account: not a guess at this address.
            throttle_release(budgets=budgets)
        return response


def _locked_out(request: HttpRequest, retry_after, *, whole_address: bool = False) -> HttpResponse:
    minutes = max(1, int((retry_after - timezone.now()).total_seconds() // 60) + 1)
    context = {"cooloff_minutes": minutes, "whole_address": whole_address}
    return render(request, "accounts/locked_out.html", context, status=429)


def password_locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """django-axes lockout page: says how long until the user may try again, in their language."""
    from axes.models import AccessAttempt

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
        .order_by("-attempt_time")
        .first()
    )
    return _locked_out(
        request, (attempt.attempt_time if attempt else timezone.now()) + settings.AXES_COOLOFF_TIME
    )


class SignOutView(LogoutView):
    """Signing out also tells the browser to delete what the field kit stored on the phone: cached
    rosters and pages, and IndexedDB with any queued marks (docs/field-kit.md). The page's script
    deletes them too, after warning about unsent ones; this header holds without JavaScript."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
