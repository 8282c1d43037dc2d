"""Personal-code slips for participants: who may print them, and the accounts behind them.

Trainees sign in with a code instead of an e-mail address (accounts.personal_codes);
this module links a participant to a sign-in account and decides who may
(re)issue their codes: staff anyone's; coordinators and trainers only the people
they may see (their regions', their deliveries') who are on no delivery outside theirs,
since a code opens everything the person can see.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts import roles
from accounts.personal_codes import personal_code_issue
from accounts.roles import Role
from core.collation import reader_order

from .models import Delivery, Enrolment, Participant
from .selectors import deliveries_managed_by

NOT_YOURS_TO_ISSUE = "This person's personal code can only be issued by programme staff."


def participants_code_issuable_by(user: User | AnonymousUser) -> QuerySet[Participant]:
    """Whose code a user may (re)issue: the people whose personal data they may see (DESIGN.md's
    roles table), narrowed to those the code shows nothing else about.

    A code signs in *as* the person, and the person's pages show every delivery they were ever
    in: results, certificates. So a trainer or coordinator may issue it only when every delivery
    the person is enrolled in is one they manage; anyone enrolled elsewhere, or whose account is
    more than a trainee's, has their code issued by programme staff.
    """
    if roles.is_programme_staff(user):
        return Participant.objects.all()
    if not user.is_authenticated:
        return Participant.objects.none()
    managed = deliveries_managed_by(user).values("pk")
    condition = Q(enrolments__delivery__in=managed)
    if roles.is_regional_coordinator(user):
        condition |= Q(region__coordinators=user)
    in_scope = Participant.objects.filter(condition).values("pk")
    enrolled_elsewhere = Enrolment.objects.exclude(delivery__in=managed).values("participant")
    return (
        Participant.objects.filter(pk__in=in_scope)
        .exclude(pk__in=enrolled_elsewhere)
        .exclude(user__in=_accounts_beyond_trainee())
    )


def _accounts_beyond_trainee() -> QuerySet[User]:
    """Accounts a code must never sign in as: staff, superusers, anyone in a group besides Trainee."""
    return User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(groups__in=Group.objects.exclude(name=Role.TRAINEE))
    ).values("pk")


@transaction.atomic
def participant_ensure_user(*, participant: Participant, trainee_group: Group | None = None) -> User:
    """The participant's sign-in account in the Trainee group, created without a password if missing.

    A caller handling many participants passes `trainee_group` so it is looked up once.
    """
    if participant.user_id:
        return participant.user
    user = User(username=f"participant-{participant.pk}", first_name=participant.full_name[:150])
    user.set_unusable_password()
    user.save()
    user.groups.add(trainee_group or Group.objects.get(name=Role.TRAINEE))
    participant.user = user
    participant.save(update_fields=["user"])
    return user


@dataclass(frozen=True)
class Slip:
    participant: Participant
    code: str


@transaction.atomic
def personal_code_issue_for_participant(
    *, participant: Participant, issued_by: User, trainee_group: Group | None = None
) -> Slip:
    """A new code for the participant, replacing any old one (whose sessions then end).

    Refused unless `issued_by` may issue this person's code (participants_code_issuable_by): the
    view's scoped lookup is the first check, this the one no caller can skip.
    """
    if not participants_code_issuable_by(issued_by).filter(pk=participant.pk).exists():
        raise PermissionDenied(NOT_YOURS_TO_ISSUE)
    user = participant_ensure_user(participant=participant, trainee_group=trainee_group)
    return Slip(participant=participant, code=personal_code_issue(user=user, issued_by=issued_by))


@transaction.atomic
def personal_codes_issue_for_delivery(
    *, delivery: Delivery, issued_by: User, replace_existing: bool
) -> list[Slip]:
    """Codes for everyone enrolled (not withdrawn) whose code `issued_by` may issue
    (participants_code_issuable_by); existing codes kept unless `replace_existing`."""
    # Through one enrolment queryset, so "not withdrawn" is about this delivery's enrolment only.
    active = Enrolment.objects.filter(delivery=delivery).exclude(status=Enrolment.Status.WITHDRAWN)
    participants = (
        participants_code_issuable_by(issued_by)
        .filter(enrolments__in=active)
        .select_related("user", "user__personal_code", "organisation")
        .order_by(*reader_order(), "pk")
    )
    trainee_group = Group.objects.get(name=Role.TRAINEE)
    slips = []
    for participant in participants:
        has_code = participant.user_id and hasattr(participant.user, "personal_code")
        if has_code and not replace_existing:
            continue
        slips.append(
            personal_code_issue_for_participant(
                participant=participant, issued_by=issued_by, trainee_group=trainee_group
            )
        )
    return slips


def personal_codes_withheld_for_delivery(*, delivery: Delivery, user: User) -> QuerySet[Participant]:
    """People on the delivery whose code `user` may not issue (enrolled elsewhere too), to name on the page."""
    active = Enrolment.objects.filter(delivery=delivery).exclude(status=Enrolment.Status.WITHDRAWN)
    return (
        Participant.objects.filter(enrolments__in=active)
        .exclude(pk__in=participants_code_issuable_by(user).values("pk"))
        .order_by(*reader_order(), "pk")
    )
