"""Passwords are stored with Argon2id at OWASP's parameters (accounts/hashers.py); hashes stored
before, with Django's PBKDF2, still sign their users in and are rewritten at that sign-in.

The test settings hash with MD5 for speed, so these tests put production's hashers back."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

from config.settings import base

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"
production_hashers = override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)


def _argon2_parameters(encoded: str) -> str:
    # argon2$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
    algorithm, variety, _version, parameters, *_ = encoded.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    return parameters


@production_hashers
def test_a_new_password_is_stored_as_argon2id_with_owasp_parameters(make_user):
    user = make_user(None, username="trainer-new")
    user.set_password(PASSWORD)
    user.save()
    user.refresh_from_db()
    assert _argon2_parameters(user.password) == "m=19456,t=2,p=1"
    assert user.check_password(PASSWORD)
    assert not user.check_password("pass-Word-124")


@production_hashers
def test_a_pbkdf2_hash_signs_its_user_in_and_is_rewritten_as_argon2id(client, make_user):
    user = make_user(None, username="trainer-old")
    # As stored before this change (few iterations, only to keep the test fast).
    User.objects.filter(pk=user.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    )

    wrong = client.post(reverse("accounts:login"), {"username": "trainer-old", "password": "wrong"})
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("accounts:login"), {"username": "trainer-old", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert _argon2_parameters(user.password) == "m=19456,t=2,p=1"
    assert user.check_password(PASSWORD)
