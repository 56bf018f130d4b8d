"""The single tenancy check every organisation-scoped view goes through.

Another organisation's data answers 404 (nothing leaks about its existence); a role that is too
low for the action answers 403. Each view declares its protection once, in `@org_view`: the
permission to read, the permission to POST, the organisation level and the methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils.log import log_response

from apps.orgs.models import Organisation, roles_at
from apps.orgs.permissions import Roles, role_allows


def get_org_for_user(request: HttpRequest, org_id: int, perm: str) -> Organisation:
    org = get_object_or_404(Organisation.objects.visible_to(request.user), pk=org_id)
    roles = roles_at(request.user, org)
    if not role_allows(roles, perm):
        raise PermissionDenied
    request.org = org
    request.roles = roles
    return org


def can(request: HttpRequest, perm: str) -> bool:
    """Whether the roles resolved for the current organisation allow `perm` (for templates)."""
    return role_allows(getattr(request, "roles", Roles()), perm)


class Level(StrEnum):
    """Which organisations a view exists for; anywhere else it answers 404."""

    ANY = "any"
    # People, pairs, documents… live in schools; a municipality's pages are read-only sums.
    SCHOOL = "school"
    # Network pages (network matching, schools' roadmaps, re-posts) exist above schools only.
    ABOVE_SCHOOL = "above_school"

    def admits(self, org: Organisation) -> bool:
        if self is Level.SCHOOL:
            return org.is_school
        if self is Level.ABOVE_SCHOOL:
            return not org.is_school
        return True


ANY, SCHOOL, ABOVE_SCHOOL = Level.ANY, Level.SCHOOL, Level.ABOVE_SCHOOL
READ_AND_WRITE = ("GET", "HEAD", "POST")
POST_ONLY = ("POST",)


@dataclass(frozen=True)
class Protection:
    """What an organisation view declares; the view enforces it, the matrix test reads it."""

    perm: str
    post_perm: str  # needed (besides `perm`) to POST; the same as `perm` unless declared
    level: Level
    methods: tuple[str, ...]


def org_view(
    perm: str,
    *,
    post: str | None = None,
    level: Level = ANY,
    methods: tuple[str, ...] = READ_AND_WRITE,
) -> Callable:
    """Decorate a view taking `org_id`; the view receives the organisation instead of the id.

    In this order: log-in required (302); the organisation visible to the user, else 404; the
    role allows `perm`, else 403; the method is one of `methods`, else 405; the organisation is
    of `level`, else 404; a POST also needs `post` (e.g. a page the head reads and the curator
    edits: `@org_view("units.view", post="units.manage")`), else 403. The declaration is kept on
    the wrapper as `protection` so the authorization matrix test knows what every URL answers.
    """
    protection = Protection(perm, post or perm, Level(level), tuple(methods))

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, org_id: int, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            org = get_org_for_user(request, org_id, perm)
            if request.method not in protection.methods:
                response = HttpResponseNotAllowed(protection.methods)
                log_response(
                    "Method Not Allowed (%s): %s", request.method, request.path,
                    response=response, request=request,
                )  # fmt: skip
                return response
            if not protection.level.admits(org):
                raise Http404
            if request.method == "POST" and not can(request, protection.post_perm):
                raise PermissionDenied
            return view(request, org, *args, **kwargs)

        wrapper.protection = protection
        return wrapper

    return decorator


def public_view(view: Callable) -> Callable:
    """Mark a view as deliberately open to anonymous visitors (checked by the matrix test)."""
    view.public = True
    return view


def login_view(view: Callable) -> Callable:
    """A view for any logged-in user that is not tied to one organisation (e.g. the home page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.login_only = True
    return wrapper


def show_org_navigation(request: HttpRequest, org: Organisation | None) -> None:
    """On personal pages (/my/…) show the menu of the user's school. Navigation only: the
    page's own access check has already passed, and links lead to checked views."""
    if org is not None and request.user.is_authenticated:
        request.org = org
        request.roles = roles_at(request.user, org)
