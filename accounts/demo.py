"""Demo users, one per role of DESIGN.md, so a newcomer can see each person's view."""

import os
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from .models import PersonalCode
from .personal_codes import code_digest
from .roles import Role

DEFAULT_DEMO_PASSWORD = "hamkori-demo"
# The demo trainee's personal code, printed by `demo_logins`; letters from the code alphabet only.
DEMO_TRAINEE_CODE = "HAMK-3467"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role | None  # None: a superuser
    description: str


DEMO_USERS = [
    DemoUser("admin", "Азиза", "Каримова", None, "administrator (superuser)"),
    DemoUser("mestaff", "Фаридун", "Ҳакимов", Role.ME_STAFF, "M&E staff, all regions"),
    DemoUser(
        "coordinator", "Дилноза", "Раҳмонова", Role.REGIONAL_COORDINATOR, "regional coordinator for Sughd"
    ),
    DemoUser("editor", "Мирлан", "Жумабеков", Role.CURRICULUM_EDITOR, "curriculum editor"),
    DemoUser("lead", "Гүлзат", "Өмүрова", Role.CURRICULUM_LEAD, "curriculum lead (approves and publishes)"),
    DemoUser("trainer", "Шӯҳрат", "Қосимов", Role.TRAINER, "trainer"),
    DemoUser("trainee", "Малика", "Ҷалолова", Role.TRAINEE, "trainee (police officer)"),
]


def demo_password() -> str:
    return os.environ.get("HAMKORI_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@transaction.atomic
def load(*, log, context: dict) -> dict:
    """Create or refresh the demo users; returns them by username for the other loaders."""
    users = {}
    password = demo_password()
    created_count = 0
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"first_name": demo.first_name, "last_name": demo.last_name},
        )
        if created:
            user.set_password(password)
            created_count += 1
        user.is_superuser = demo.role is None
        user.is_staff = demo.role is None
        user.save()
        if demo.role is not None:
            user.groups.add(Group.objects.get(name=demo.role))
        users[demo.username] = user
    PersonalCode.objects.update_or_create(
        user=users["trainee"],
        defaults={"digest": code_digest(DEMO_TRAINEE_CODE), "issued_by": users["admin"]},
    )
    log(f"users: {created_count} created, {len(DEMO_USERS) - created_count} already there")
    return {"users": users}
