"""The client address behind the reverse proxy: login lockouts and the journal."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.audit.context import client_ip
from apps.audit.models import AuditEvent
from tests.factories import PersonFactory, UserFactory

PROXY = "127.0.0.1"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from(PROXY, "198.51.100.7")) == PROXY


def test_it_ignores_forwarded_for_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_it_takes_the_hop_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # The client wrote "1.2.3.4" itself; nginx appended the address it really came from.
    assert client_ip(request_from(PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_it_skips_every_trusted_proxy_from_the_right(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    request = request_from(PROXY, "1.2.3.4, 198.51.100.7, 10.1.2.3, 10.0.0.1")
    assert client_ip(request) == "198.51.100.7"


def test_it_stops_at_a_malformed_hop(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    assert client_ip(request_from(PROXY, "198.51.100.7, junk, 10.0.0.1")) == "10.0.0.1"


def test_it_keeps_the_proxy_when_the_header_is_missing(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(PROXY)) == PROXY


def _user(email: str):
    user = UserFactory(email=email)
    user.set_password("right-pass-123")
    user.save()
    return user


def _login(client: Client, email: str, password: str, forwarded: str):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_it_keys_the_lockout_on_the_peer_when_the_header_is_spoofed(settings):
    settings.TRUSTED_PROXIES = []
    user = _user("teacher@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, user.email, "wrong", forwarded=f"198.51.100.{n}")
    assert _login(attacker, user.email, "right-pass-123", "198.51.100.99").status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


@pytest.mark.django_db
def test_it_locks_only_the_client_behind_the_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    user = _user("teacher@example.org")
    attacker = Client(REMOTE_ADDR=PROXY)
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A spoofed left part changes nothing: nginx appends the real address on the right.
        _login(attacker, user.email, "wrong", forwarded=f"192.0.2.{n}, 198.51.100.7")
    assert _login(attacker, user.email, "right-pass-123", "198.51.100.7").status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]
    colleague = Client(REMOTE_ADDR=PROXY)
    assert _login(colleague, user.email, "right-pass-123", "198.51.100.8").status_code == 302


@pytest.mark.django_db
def test_it_writes_the_client_address_into_the_journal(settings, curator_client, school):
    settings.TRUSTED_PROXIES = [PROXY]
    person = PersonFactory(organisation=school)
    curator_client.get(
        reverse("people:person-detail", args=[school.pk, person.pk]),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
    )
    event = AuditEvent.objects.get(action="view", person_id=person.pk)
    assert event.ip == "198.51.100.7"
