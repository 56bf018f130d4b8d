"""Request ids (from a sane X-Request-ID header set by the proxy, or generated), no caching of
private responses, and the idle timeout of staff sessions."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from apps.ops.logs import request_id_var
from apps.orgs.choices import Role
from apps.orgs.models import Membership

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def incoming_request_id(request: HttpRequest) -> str | None:
    value = request.headers.get(HEADER, "")
    return value if SANE_ID.fullmatch(value) else None


class RequestIdMiddleware:
    """Gives every request an id: in `request.request_id`, in log records, in the response.

    The id stays set until the response is closed, so Django's own "Not Found"/"Internal Server
    Error" records (logged after the middleware chain returns) carry it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget_request_id(**kwargs: Any) -> None:
    request_id_var.set(None)


request_finished.connect(forget_request_id, dispatch_uid="apps.ops.forget_request_id")


# Pages everyone may see and any cache may keep (static files never reach this middleware:
# WhiteNoise answers them first).
PUBLIC_PREFIXES = ("/p/", "/sitemap.xml")


def _is_public_view(view: Callable) -> bool:
    view_class = getattr(view, "view_class", None)
    return bool(getattr(view, "public", False) or getattr(view_class, "public", False))


class PrivateCacheMiddleware:
    """`Cache-Control: no-store, private` on every response but the public, cacheable ones.

    Pages for logged-in users carry personal data, and so do downloads (documents, consent
    scans, exports) and pages opened by a personal link (a questionnaire, a calendar feed):
    neither the browser's disk cache nor a proxy may keep them. Left alone: anonymous requests
    to the public pages (`PUBLIC_PREFIXES`), and responses of a `@public_view` that declare
    themselves `public` (news photos), whoever asks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self._left_alone(request, response):
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(self, request: HttpRequest, view: Callable, args, kwargs) -> None:
        request.public_view = _is_public_view(view)

    @staticmethod
    def _left_alone(request: HttpRequest, response: HttpResponse) -> bool:
        declared = response.get("Cache-Control", "").lower()
        if "no-store" in declared:
            return True  # the view said so already
        if getattr(request, "public_view", False) and "public" in declared:
            return True
        user = getattr(request, "user", None)
        anonymous = user is None or not user.is_authenticated
        return anonymous and request.path.startswith(PUBLIC_PREFIXES)


STAFF_ROLES = (Role.CURATOR, Role.HEAD, Role.ADMIN, Role.METHODIST)
SEEN_KEY = "_seen_at"
STAFF_KEY = "_staff_idle"
# The session is written at most once a minute, not on every click.
REFRESH_SECONDS = 60


def _move_expiry(session, now: float) -> None:
    session[SEEN_KEY] = now
    idle = settings.SESSION_STAFF_IDLE_MINUTES * 60
    if session.get(STAFF_KEY) and idle:
        session.set_expiry(min(idle, settings.SESSION_COOKIE_AGE))


def start_session(sender, request, user, **kwargs) -> None:
    """At login: whether the idle timeout applies (roles change rarely: the next login sees it)."""
    request.session[STAFF_KEY] = Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()
    _move_expiry(request.session, time.time())


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after `SESSION_STAFF_IDLE_MINUTES` without a request.

    Curators, heads, administrators and methodists see the personal data of a whole school or
    municipality, so a forgotten browser must not stay logged in for `SESSION_COOKIE_AGE`.
    A request (at most once a minute) moves the session's expiry `SESSION_STAFF_IDLE_MINUTES`
    ahead; a session not refreshed in time expires in the database and the user logs in again.
    Other users' sessions last `SESSION_COOKIE_AGE` from their last change, as Django does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            if now - request.session.get(SEEN_KEY, 0) >= REFRESH_SECONDS:
                _move_expiry(request.session, now)
        return self.get_response(request)
