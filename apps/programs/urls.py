from django.urls import path

from apps.programs import views

app_name = "programs"

urlpatterns = [
    path("o/<int:org_id>/units/", views.unit_list, name="unit-list"),
    path("o/<int:org_id>/units/new/", views.unit_create, name="unit-create"),
    path("o/<int:org_id>/units/settings/", views.program_settings, name="settings"),
    path("o/<int:org_id>/units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("o/<int:org_id>/units/<int:unit_id>/activate/", views.unit_activate, name="unit-activate"),
    path("o/<int:org_id>/units/<int:unit_id>/end/", views.unit_end, name="unit-end"),
    path(
        "o/<int:org_id>/units/<int:unit_id>/replace-mentor/",
        views.unit_replace_mentor,
        name="unit-replace-mentor",
    ),
]
