from django.urls import path

from apps.matching import views

app_name = "matching"

urlpatterns = [
    path("o/<int:org_id>/units/waitlist/", views.waitlist_view, name="waitlist"),
    path("my/mentor-choice/", views.my_choice, name="my-choice"),
    path("my/mentee-requests/", views.my_requests, name="my-requests"),
    path("o/<int:org_id>/matching/requests/", views.request_list, name="requests"),
    path("o/<int:org_id>/matching/network/", views.network_list, name="network-list"),
    path("o/<int:org_id>/matching/network/new/", views.network_new, name="network-new"),
    path(
        "o/<int:org_id>/matching/network/<int:network_run_id>/",
        views.network_detail,
        name="network-detail",
    ),
    path(
        "o/<int:org_id>/matching/network/<int:network_run_id>/progress/",
        views.network_progress,
        name="network-progress",
    ),
    path("o/<int:org_id>/matching/network/decide/", views.network_decide, name="network-decide"),
    path("o/<int:org_id>/matching/", views.run_list, name="run-list"),
    path("o/<int:org_id>/matching/new/", views.run_new, name="run-new"),
    path("o/<int:org_id>/matching/compare/", views.run_compare, name="run-compare"),
    path("o/<int:org_id>/matching/settings/", views.matching_settings, name="settings"),
    path("o/<int:org_id>/matching/<int:run_id>/", views.run_detail, name="run-detail"),
    path("o/<int:org_id>/matching/<int:run_id>/progress/", views.run_progress, name="run-progress"),
    path("o/<int:org_id>/matching/<int:run_id>/pin/", views.run_pin, name="run-pin"),
    path("o/<int:org_id>/matching/<int:run_id>/swap/", views.run_swap, name="run-swap"),
    path("o/<int:org_id>/matching/<int:run_id>/confirm/", views.run_confirm, name="run-confirm"),
]
