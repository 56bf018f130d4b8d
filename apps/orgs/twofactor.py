"""Two-factor login with a TOTP code (django-otp).

A user who has confirmed an authenticator app, or who is a curator, head or administrator in
an organisation that requires it (the setting holds for every organisation below), must enter
a code after the password: until then every page except the code form, logout and the public
pages redirects to `/accounts/2fa/`. Codes are throttled by django-otp (each wrong code doubles
the wait). Whether the code is needed is decided at login and kept in the session.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.orgs.choices import Role
from apps.orgs.models import Organisation, membership_paths

STRONG_ROLES = {Role.CURATOR, Role.HEAD, Role.ADMIN}
# Reachable before the code is entered.
OPEN_PREFIXES = (
    "/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/accounts/password-reset/",
    "/accounts/reset/", "/static/", "/media/", "/p/", "/vi/", "/healthz", "/api/", "/s/",
    "/ical/", "/sitemap.xml",
)  # fmt: skip
REQUIRED_PATHS_KEY = "orgs:two-factor-paths"


def required_paths() -> list[str]:
    paths = cache.get(REQUIRED_PATHS_KEY)
    if paths is None:
        paths = list(
            Organisation.objects.filter(require_two_factor=True).values_list("path", flat=True)
        )
        cache.set(REQUIRED_PATHS_KEY, paths, 300)
    return paths


def forget_required_paths() -> None:
    cache.delete(REQUIRED_PATHS_KEY)


def must_use(user) -> bool:
    """Whether an organisation requires a second factor from this user's role."""
    required = required_paths()
    if not required:
        return False
    return any(
        role in STRONG_ROLES and any(path.startswith(req) for req in required)
        for path, role in membership_paths(user)
    )


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def setup_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator being set up, with its secret.

    Side effects: creates it on the first visit to the set-up page; the secret has to outlive
    the request that shows the QR code, until the code typed from it confirms the device.
    """
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Приложение-аутентификатор"}
    )
    return device


def needs_code(user) -> bool:
    return has_device(user) or must_use(user)


SESSION_KEY = "two_factor_needed"


@receiver(user_logged_in)
def remember_need(sender, request, user, **kwargs) -> None:
    """Decided once per login (the setting and the device take effect at the next login), so
    pages do not pay a query for it."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = needs_code(user)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(SESSION_KEY)
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return reverse("home")
    return target
