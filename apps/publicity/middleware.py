"""The public pages for anonymous visitors straight from the cache, before the middleware that
such a request does not need (sessions, authentication, CSRF, locale, messages, htmx, CSP…)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver

from apps.publicity import cache

# Where the cached public views live (apps/publicity/urls.py, included at the root). Only these
# paths are resolved, against the publicity patterns alone: the whole URL configuration costs
# more than the rest of a cached answer. A response is stored only when Django's own resolution
# of the request reached the same view, so a shadowing pattern elsewhere would only disable this.
PREFIX = "/p/"
URLCONF = "apps.publicity.urls"
SAFE_METHODS = ("GET", "HEAD")


class CachedPublicPageMiddleware:
    """A cached public page (a view marked by `public.cached`) for an anonymous GET or HEAD.

    Sits right after the security, request-id and static-file middleware. A request without a
    session cookie is anonymous (this site authenticates by session only), so its answer is the
    same for every visitor: the first one goes the normal way, and its response — the body and
    the headers the middleware below added (Content-Type, Content-Length, CSP, X-Frame-Options,
    Vary, Content-Language) — is kept under the page's own cache key plus ":response". The key
    holds the organisation's version, so whatever invalidates the page (an edit, a withdrawn
    consent, a closed page) invalidates this copy too, and what is kept is the guarded output.
    Later visitors get that copy without sessions, authentication, CSRF, messages, locale, htmx
    or CSP running, and without a query. A session cookie, another method or any other path goes
    the normal way, and so does a response that sets a cookie or forbids storing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = _cacheable(request)
        if found is None:
            return self.get_response(request)
        key, view = found
        hit = django_cache.get(key)
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if _storable(request, response, view):
            django_cache.set(key, (response.content, dict(response.items())), cache.seconds())
        return response


def _cacheable(request: HttpRequest) -> tuple[str, Callable] | None:
    """(the response's cache key, the view) when the request may be answered from the cache."""
    if (
        not cache.seconds()  # the page cache is off (PUBLIC_CACHE_SECONDS=0): nothing is kept
        or request.method not in SAFE_METHODS
        or not request.path_info.startswith(PREFIX)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    ):
        return None
    try:
        match = get_resolver(URLCONF).resolve(request.path_info)
    except Resolver404:
        return None
    name = getattr(match.func, "public_cache", None)
    if name is None:
        return None
    # The host is checked against ALLOWED_HOSTS as CommonMiddleware does (DisallowedHost → 400):
    # the cached body was built for an allowed host.
    request.get_host()
    kwargs = dict(match.kwargs)
    key = cache.request_key(request, name, kwargs.pop("slug"), kwargs)
    return None if key is None else (f"{key}:response", match.func)


def _storable(request: HttpRequest, response: HttpResponse, view: Callable) -> bool:
    resolved = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and resolved is not None
        and resolved.func is view
        and not (user is not None and user.is_authenticated)
    )
