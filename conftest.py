import pytest
from django.core.cache import cache

from accounts.roles import Role
from accounts.tests.factories import user_with_role

ROLE_CASES = [None, *Role]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what one test's pages kept never answers another's."""
    cache.clear()


@pytest.fixture
def make_user(db):
    return user_with_role


@pytest.fixture(params=ROLE_CASES, ids=lambda role: "admin" if role is None else role.name.lower())
def any_role_user(request, db):
    return user_with_role(request.param)
