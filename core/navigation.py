"""Role-aware header navigation.

Each entry names a URL and who may see it. An entry whose URL is not yet
routed is skipped, so an app's link appears as soon as its URLs exist. Hiding
a link is a convenience only: every view checks access on the server.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser, User
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import roles


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible_to: Callable[[User | AnonymousUser], bool]


def _everyone(user: User | AnonymousUser) -> bool:
    return True


def _runs_or_plans_training(user: User | AnonymousUser) -> bool:
    return roles.can_plan_deliveries(user) or roles.is_trainer(user)


NAV_ITEMS = [
    # A trainer's day starts here: today's sessions, one tap from each roster (issue 13).
    NavItem(_("Today"), "attendance:today", roles.is_trainer),
    NavItem(_("Courses"), "curriculum:catalogue", _everyone),
    NavItem(_("Deliveries"), "courses:delivery_list", _runs_or_plans_training),
    NavItem(_("My training"), "assessments:my", roles.is_trainee),
    NavItem(_("Check in"), "attendance:check_in", roles.is_trainee),
    NavItem(_("Reports"), "reports:dashboard", roles.can_see_reports),
    NavItem(_("Verify a certificate"), "assessments:verify_lookup", _everyone),
    # The permission, not the role: coordinators, for one, work in our pages, not the admin.
    NavItem(_("Administration"), "wagtailadmin_home", roles.may_open_admin),
    NavItem(_("Audit trail"), "privacy:audit", lambda user: user.is_authenticated and user.is_superuser),
]


@lru_cache(maxsize=64)
def _url_of(url_name: str, script_prefix: str) -> str | None:
    """The entry's address, found once per process: the header is on every page, and its reverse()
    calls were ~8 % of a bare signed-in page's profile (issue 18). The URLconf does not change
    while a process runs; the script prefix is part of the key because reverse() reads it."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def nav_links_for(user: User | AnonymousUser, current_path: str) -> list[dict]:
    links = []
    script_prefix = get_script_prefix()
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        url = _url_of(item.url_name, script_prefix)
        if url is None:
            continue
        links.append(
            {"label": item.label, "url": url, "current": current_path.startswith(url) and url != "/"}
        )
    return links
