from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("my/notifications/", views.notification_list, name="list"),
    path("my/notifications/bell/", views.bell, name="bell"),
    path("my/notifications/read-all/", views.read_all, name="read-all"),
    path("my/notifications/settings/", views.preferences, name="preferences"),
    path(
        "my/notifications/<int:notification_id>/open/",
        views.notification_open,
        name="open",
    ),
    path(
        "o/<int:org_id>/notifications/settings/",
        views.school_settings,
        name="school-settings",
    ),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
