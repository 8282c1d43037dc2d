"""Personal-code slips for participants: who may print them, and the accounts behind them.

Trainees sign in with a code instead of an e-mail address (accounts.personal_codes);
this module links a participant to a sign-in account and decides who may
(re)issue their codes: staff, coordinators of the participant's region, and
trainers of a delivery the participant is enrolled in.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts import roles
from accounts.personal_codes import personal_code_issue
from accounts.roles import Role

from .models import Delivery, Enrolment, Participant
from .selectors import deliveries_managed_by


def participants_managed_by(user: User | AnonymousUser) -> QuerySet[Participant]:
    if roles.is_programme_staff(user):
        return Participant.objects.all()
    if not user.is_authenticated:
        return Participant.objects.none()
    condition = Q(enrolments__delivery__in=deliveries_managed_by(user).values("pk"))
    if roles.is_regional_coordinator(user):
        condition |= Q(region__coordinators=user)
    return Participant.objects.filter(pk__in=Participant.objects.filter(condition).values("pk"))


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
    user = participant_ensure_user(participant=participant, trainee_group=trainee_group)
    return Slip(participant=participant, code=personal_code_issue(user=user, issued_by=issued_by))


@transaction.atomic
def personal_codes_issue_for_delivery(
    *, delivery: Delivery, issued_by: User, replace_existing: bool
) -> list[Slip]:
    """Codes for everyone enrolled (not withdrawn); existing codes kept unless `replace_existing`."""
    # Through one enrolment queryset, so "not withdrawn" is about this delivery's enrolment only.
    active = Enrolment.objects.filter(delivery=delivery).exclude(status=Enrolment.Status.WITHDRAWN)
    participants = (
        Participant.objects.filter(enrolments__in=active)
        .select_related("user", "user__personal_code", "organisation")
        .order_by("full_name")
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
