"""Throttle guessing: after N wrong guesses for a key within a window, refuse until the window ends.

Used for trainees' personal codes and staff passwords (per client address), certificate
verification codes (per address) and session check-in codes (per user, attendance.services).

Each entry point names one or more budgets: a scope ("personal-code") and a key (an
address, a user id). An attempt is *reserved* in every budget before the guess is checked, with
one conditional UPDATE per budget, so parallel requests cannot all pass a check that only one
of them should pass (seen: 40 parallel wrong codes had 8 checked against a limit of 5). A wrong
guess keeps its reservation; a guess that was not wrong (a right code, or a real code used at
the wrong time) gives back only its own reservation with `throttle_release`, never the earlier
wrong guesses: holding one good code must not buy more guesses (seen: 40 wrong guesses, no
lock-out, because each right code reset the address). django-axes, for passwords, resets on
success only the count of the username and address that signed in.

The counts live in the database so every server process sees the same numbers. The keys are
addresses and ids, never the guessed code and never a name.
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from .models import ThrottleCount

UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Budget:
    """How many wrong guesses `key` may make in `scope` within `window`."""

    scope: str
    key: str
    failures: int
    window: timedelta


@dataclass(frozen=True)
class ThrottleState:
    locked: bool
    retry_after: datetime | None


OPEN = ThrottleState(locked=False, retry_after=None)


def _window() -> timedelta:
    return timedelta(minutes=getattr(settings, "HAMKORI_THROTTLE_MINUTES", 30))


def address_budget(*, scope: str, request: HttpRequest, failures: int | None = None) -> Budget:
    """One client address's budget in `scope`, for entry points that have no account to count on.

    `failures` defaults to HAMKORI_THROTTLE_ADDRESS_FAILURES, kept higher than the per-account
    limits (AXES_FAILURE_LIMIT, the check-in limit) so that a lock on one account does not lock
    out everyone else behind the same address.
    """
    limit = failures if failures is not None else settings.HAMKORI_THROTTLE_ADDRESS_FAILURES
    key = client_address(request) or UNKNOWN_ADDRESS
    return Budget(scope=scope, key=key, failures=limit, window=_window())


def lockout_message(retry_after: datetime) -> str:
    minutes = max(1, int((retry_after - timezone.now()).total_seconds() // 60) + 1)
    return ngettext(
        "Too many wrong codes. Try again in %(minutes)d minute.",
        "Too many wrong codes. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


# Counting ---------------------------------------------------------------------------------------------


def _rows(budget: Budget):
    return ThrottleCount.objects.filter(scope=budget.scope, key=budget.key)


def _state(budget: Budget, now: datetime) -> ThrottleState:
    row = _rows(budget).values_list("failures", "window_started_at").first()
    if row is None:
        return OPEN
    failures, started = row
    if started <= now - budget.window or failures < budget.failures:
        return OPEN
    return ThrottleState(locked=True, retry_after=started + budget.window)


def throttle_state(*, budgets: Sequence[Budget], now: datetime | None = None) -> ThrottleState:
    """Read-only: locked when any budget is spent (for showing the lock before a guess is typed)."""
    now = now or timezone.now()
    locked = [state for state in (_state(budget, now) for budget in budgets) if state.locked]
    if not locked:
        return OPEN
    return ThrottleState(locked=True, retry_after=max(state.retry_after for state in locked))


def _reserve_one(budget: Budget, now: datetime) -> bool:
    # get_or_create retries as a get when a parallel request created the row first.
    ThrottleCount.objects.get_or_create(
        scope=budget.scope, key=budget.key, defaults={"failures": 0, "window_started_at": now}
    )
    # A spent window (or an empty count) starts again with this attempt. Only one of several
    # parallel requests matches: on PostgreSQL the others wait for its row lock and then re-read
    # the condition; SQLite has one writer at a time.
    restarted = (
        _rows(budget)
        .filter(Q(window_started_at__lte=now - budget.window) | Q(failures=0))
        .update(failures=1, window_started_at=now)
    )
    if restarted:
        return True
    # The increment and the limit check are one statement, so no two requests take the last place.
    return bool(_rows(budget).filter(failures__lt=budget.failures).update(failures=F("failures") + 1))


def throttle_reserve(*, budgets: Sequence[Budget], now: datetime | None = None) -> ThrottleState:
    """Reserve one attempt in every budget before the guess is checked, or refuse with when to retry.

    When one budget is spent, the places already taken in the others are given back: a refused
    attempt checks nothing, so it is not a guess.
    """
    now = now or timezone.now()
    reserved: list[Budget] = []
    for budget in budgets:
        if not _reserve_one(budget, now):
            throttle_release(budgets=reserved)
            state = throttle_state(budgets=[budget], now=now)
            # The window may have ended in between: refuse this one attempt all the same.
            return state if state.locked else ThrottleState(locked=True, retry_after=now)
        reserved.append(budget)
    return OPEN


def throttle_release(*, budgets: Sequence[Budget]) -> None:
    """Give back a reserved attempt that turned out not to be a wrong guess."""
    for budget in budgets:
        _rows(budget).filter(failures__gt=0).update(failures=F("failures") - 1)


# The client's address ---------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The address every throttle (ours and django-axes') counts against; None when unknown.

    REMOTE_ADDR, unless the peer is one of HAMKORI_TRUSTED_PROXIES: then the right-most address
    in X-Forwarded-For that is not a trusted proxy, i.e. the last hop a proxy we trust saw.
    Hops further left were written by the client and are never believed; with no trusted
    proxies configured the header is ignored entirely, so nobody can pick their own address.
    None (no REMOTE_ADDR: a sign-in signal outside a request) is what django-axes expects.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "HAMKORI_TRUSTED_PROXIES", ())))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # Not written by a proxy we trust: count against the proxy rather than believe it.
            return remote
        if not _is_trusted(hop, networks):
            return hop
    # Every hop is a trusted proxy (or there is no header): the left-most is the client.
    return hops[0] if hops else remote
