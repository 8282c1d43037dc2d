import pytest

from .programme import build_programme


@pytest.fixture
def programme(db):
    return build_programme()
