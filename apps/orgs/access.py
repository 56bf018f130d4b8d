"""The single tenancy check every organisation-scoped view goes through.

Another organisation's data answers 404 (nothing leaks about its existence); a role that is too
low for the action answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

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


def org_view(perm: str) -> Callable:
    """Decorate a view taking `org_id`: log-in required, organisation visible, role allows `perm`.

    The view receives the organisation instead of the id. `required_perm` is kept on the
    wrapper so the authorization matrix test knows what to expect from every URL.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, org_id: int, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            org = get_org_for_user(request, org_id, perm)
            return view(request, org, *args, **kwargs)

        wrapper.required_perm = perm
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
