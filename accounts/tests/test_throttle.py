"""Guessing throttles: a success never resets an address's count, parallel guesses share one
budget, certificate codes are throttled too, and the client address is only read from a
proxy's header when that proxy is trusted (issue 15, items 3 and 4)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import ThrottleCount
from accounts.personal_codes import personal_code_issue
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from accounts.throttle import Budget, client_address, throttle_release, throttle_reserve

CODE_URL = reverse("accounts:code_login")
LOGIN_URL = reverse("accounts:login")
WRONG_CODE = "WXYZ-WXYZ"
PROXY = "10.0.0.5"


@pytest.fixture
def code(db):
    return personal_code_issue(user=user_with_role(Role.TRAINEE), issued_by=None)


# Item 3: a success does not reset the address ---------------------------------------------------------


@pytest.mark.django_db
def test_a_correct_code_does_not_reset_the_addresss_wrong_guesses(client, code):
    for _attempt in range(4):
        assert client.post(CODE_URL, {"code": WRONG_CODE}).status_code == 200
    assert client.post(CODE_URL, {"code": code}).status_code == 302
    client.logout()
    # The fifth wrong code from this address locks it, the four before the success included.
    assert client.post(CODE_URL, {"code": WRONG_CODE}).status_code == 429
    assert client.post(CODE_URL, {"code": code}).status_code == 429


@pytest.mark.django_db
def test_forty_wrong_codes_interleaved_with_a_good_one_are_still_stopped_at_five(client, code):
    refused = 0
    for _round in range(40):
        refused += client.post(CODE_URL, {"code": WRONG_CODE}).status_code == 429
        client.post(CODE_URL, {"code": code})
        client.logout()
    assert refused >= 35


@pytest.mark.django_db
def test_a_success_gives_back_only_its_own_reservation():
    now = timezone.now()
    address = Budget(scope="test", key="203.0.113.7", failures=5, window=timedelta(minutes=30))
    for _wrong in range(2):
        assert not throttle_reserve(budgets=[address], now=now).locked
    assert not throttle_reserve(budgets=[address], now=now).locked
    throttle_release(budgets=[address])  # this one was right
    assert ThrottleCount.objects.get(scope="test").failures == 2


@pytest.mark.django_db
def test_a_refused_attempt_gives_back_the_places_taken_in_other_budgets():
    now = timezone.now()
    address = Budget(scope="test", key="203.0.113.7", failures=10, window=timedelta(minutes=30))
    account = Budget(scope="test-account", key="42", failures=1, window=timedelta(minutes=30))
    assert not throttle_reserve(budgets=[address, account], now=now).locked
    state = throttle_reserve(budgets=[address, account], now=now)
    assert state.locked and state.retry_after == now + timedelta(minutes=30)
    assert ThrottleCount.objects.get(scope="test").failures == 1
    throttle_release(budgets=[address])
    assert ThrottleCount.objects.get(scope="test").failures == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_wrong_codes_are_checked_at_most_the_limit(monkeypatch):
    """40 wrong codes at once from one address: at most 5 reach the code check (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs separate connections writing at once (make test-postgres)")
    from django.test import Client

    from accounts import backends

    checked = []
    lock = threading.Lock()
    real_user_for_code = backends.user_for_code

    def counting_user_for_code(raw):
        with lock:
            checked.append(raw)
        return real_user_for_code(raw)

    monkeypatch.setattr(backends, "user_for_code", counting_user_for_code)
    barrier = threading.Barrier(40)
    statuses, errors = [], []

    def guess(index):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            response = Client().post(
                CODE_URL, {"code": f"WXYZ-WX{'YX'[index % 2]}{'ABCDEFGHJK'[index % 10]}"}
            )
            statuses.append(response.status_code)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=guess, args=(index,)) for index in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(statuses) == 40
    assert len(checked) <= 5, f"{len(checked)} guesses were checked against a limit of 5"
    assert ThrottleCount.objects.get(scope="personal-code").failures == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_reservations_admit_exactly_the_limit():
    if connection.vendor != "postgresql":
        pytest.skip("needs separate connections writing at once (make test-postgres)")
    budget = Budget(scope="race", key="198.51.100.1", failures=5, window=timedelta(minutes=30))
    barrier = threading.Barrier(30)
    admitted, errors = [], []

    def reserve():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            admitted.append(not throttle_reserve(budgets=[budget]).locked)
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=reserve) for _index in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(admitted) == 5


# Item 3: certificate verification is throttled ------------------------------------------------------


@pytest.mark.django_db
@override_settings(HAMKORI_THROTTLE_ADDRESS_FAILURES=3)
def test_certificate_verification_is_throttled_after_the_limit(client):
    from assessments.models import Certificate
    from courses.tests.factories import EnrolmentFactory

    enrolment = EnrolmentFactory()
    certificate = Certificate.objects.create(
        delivery=enrolment.delivery, participant=enrolment.participant, completed_on=timezone.localdate()
    )
    real = reverse("assessments:verify", kwargs={"code": certificate.code})
    assert client.get(real).status_code == 200  # a real code is not a guess
    for wrong in ("2222-2222", "3333-3333", "4444-4444"):
        assert client.get(reverse("assessments:verify", kwargs={"code": wrong})).status_code == 404
    response = client.get(real)
    assert response.status_code == 429
    assert certificate.participant.full_name not in response.content.decode()
    # The form leads to the same page, and to the same lock.
    response = client.get(reverse("assessments:verify_lookup"), {"code": certificate.code}, follow=True)
    assert response.status_code == 429
    # Another address is not locked.
    assert client.get(real, REMOTE_ADDR="198.51.100.9").status_code == 200


# Item 4: the client address ---------------------------------------------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(HAMKORI_TRUSTED_PROXIES=[])
def test_forwarded_for_is_ignored_when_no_proxy_is_trusted():
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(HAMKORI_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_from_an_untrusted_peer_is_ignored():
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(HAMKORI_TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.1"])
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client():
    assert client_address(_request(PROXY, "198.51.100.1")) == "198.51.100.1"
    # The client wrote the left-most hop itself; the proxy appended the address it saw.
    assert client_address(_request(PROXY, "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    # Two proxies in a row: both skipped.
    assert client_address(_request(PROXY, "1.2.3.4, 198.51.100.1, 192.0.2.1")) == "198.51.100.1"
    # A hop that is no address at all counts against the proxy, not as a fresh address.
    assert client_address(_request(PROXY, "1.2.3.4, not-an-address")) == PROXY
    assert client_address(_request(PROXY)) == PROXY


def test_without_a_peer_address_there_is_no_client_address():
    """django-axes stores None for a sign-in outside a request; "unknown" is not an address."""
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None


@pytest.mark.django_db
@override_settings(HAMKORI_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_spoofed_header_from_an_untrusted_peer_does_not_escape_the_lock(client, code):
    for index in range(5):
        client.post(CODE_URL, {"code": WRONG_CODE}, HTTP_X_FORWARDED_FOR=f"198.51.100.{index}")
    response = client.post(CODE_URL, {"code": code}, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(HAMKORI_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_one_guesser_does_not_lock_out_the_others(client, code):
    for _attempt in range(5):
        client.post(CODE_URL, {"code": WRONG_CODE}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    locked = client.post(CODE_URL, {"code": code}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert locked.status_code == 429
    other = client.post(CODE_URL, {"code": code}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


@pytest.mark.django_db
@override_settings(HAMKORI_TRUSTED_PROXIES=[PROXY])
def test_axes_counts_password_failures_against_the_same_client_address(client):
    from axes.models import AccessAttempt

    user_with_role(Role.ME_STAFF, username="nodira")
    client.post(
        LOGIN_URL,
        {"username": "nodira", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]


@pytest.mark.django_db
@override_settings(HAMKORI_THROTTLE_ADDRESS_FAILURES=8)
def test_one_locked_account_does_not_lock_others_from_the_same_address_below_the_address_limit(client):
    locked = user_with_role(Role.ME_STAFF, username="locked")
    locked.set_password("right-password-1")
    locked.save()
    other = user_with_role(Role.ME_STAFF, username="other")
    other.set_password("right-password-2")
    other.save()
    for _attempt in range(5):
        client.post(LOGIN_URL, {"username": "locked", "password": "wrong"})
    response = client.post(LOGIN_URL, {"username": "locked", "password": "right-password-1"})
    assert response.status_code == 429  # django-axes: this account, from this address
    response = client.post(LOGIN_URL, {"username": "other", "password": "right-password-2"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
@override_settings(HAMKORI_THROTTLE_ADDRESS_FAILURES=8)
def test_wrong_passwords_across_many_accounts_lock_the_address(client):
    user = user_with_role(Role.ME_STAFF, username="target")
    user.set_password("right-password-1")
    user.save()
    for index in range(8):
        client.post(LOGIN_URL, {"username": f"guess-{index}", "password": "wrong"})
    response = client.post(LOGIN_URL, {"username": "target", "password": "right-password-1"})
    assert response.status_code == 429
    assert "from your network" in response.content.decode()
    assert (
        client.post(
            LOGIN_URL, {"username": "target", "password": "right-password-1"}, REMOTE_ADDR="198.51.100.3"
        ).status_code
        == 302
    )
