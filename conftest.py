import pytest

from accounts.roles import Role
from accounts.tests.factories import user_with_role

ROLE_CASES = [None, *Role]


@pytest.fixture
def make_user(db):
    return user_with_role


@pytest.fixture(params=ROLE_CASES, ids=lambda role: "admin" if role is None else role.name.lower())
def any_role_user(request, db):
    return user_with_role(request.param)
