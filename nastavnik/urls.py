from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from apps.orgs import views as org_views
from apps.overview import views as overview_views

urlpatterns = [
    path("", overview_views.home, name="home"),
    path("accounts/login/", org_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", org_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", org_views.two_factor, name="two-factor"),
    path("accounts/security/", org_views.account_security, name="account-security"),
    path(
        "accounts/password-reset/",
        org_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/done/",
        org_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        org_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        org_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("apps.overview.urls")),
    path("o/", include("apps.orgs.urls")),
    path("o/", include("apps.people.urls")),
    path("", include("apps.surveys.urls")),
    path("", include("apps.banks.urls")),
    path("", include("apps.programs.urls")),
    path("", include("apps.matching.urls")),
    path("", include("apps.documents.urls")),
    path("", include("apps.payroll.urls")),
    path("", include("apps.roadmap.urls")),
    path("", include("apps.library.urls")),
    path("", include("apps.events.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.monitoring.urls")),
    path("", include("apps.maxbot.urls")),
    path("", include("apps.publicity.urls")),
    path("", include("apps.api.urls")),
    path("", include("apps.ops.urls")),
    path("", include("apps.audit.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "apps.orgs.errors.bad_request"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
