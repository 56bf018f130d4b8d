"""The request being served, so that model signals know who acted (set by the middleware),
and the address of the client who sent it."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.conf import settings

current_request: ContextVar = ContextVar("audit_request", default=None)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: list) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: `REMOTE_ADDR`, or — when that is a proxy in `TRUSTED_PROXIES` —
    the first `X-Forwarded-For` hop from the right that is not a trusted proxy.

    Hops are read from the right because only the right end is written by our proxies; anything
    to the left of the first untrusted hop is whatever the client chose to send. From a peer
    that is not a trusted proxy the header is ignored altogether. Used by the journal and by
    django-axes (AXES_CLIENT_IP_CALLABLE), so login lockouts are keyed on the real client.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = [ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES]
    if not networks or not _trusted(_address(remote or ""), networks):
        return remote
    found = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be believed
        found = str(address)
        if not _trusted(address, networks):
            break
    return found


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
