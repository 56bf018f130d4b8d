from django.urls import path

from apps.programs import views

app_name = "programs"

urlpatterns = [
    path("my/units/", views.my_units, name="my-units"),
    path("my/units/<int:unit_id>/", views.my_unit, name="my-unit"),
    path(
        "my/units/<int:unit_id>/tasks/<int:task_id>/status/",
        views.my_task_status,
        name="my-task-status",
    ),
    path("o/<int:org_id>/units/", views.unit_list, name="unit-list"),
    path("o/<int:org_id>/units/new/", views.unit_create, name="unit-create"),
    path("o/<int:org_id>/units/settings/", views.program_settings, name="settings"),
    path(
        "o/<int:org_id>/units/settings/<str:kind>/<int:entry_id>/toggle/",
        views.dictionary_toggle,
        name="dictionary-toggle",
    ),
    path(
        "o/<int:org_id>/units/waitlist/<int:person_id>/support/",
        views.support_add,
        name="support-add",
    ),
    path("o/<int:org_id>/units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("o/<int:org_id>/units/launch/", views.unit_launch_selected, name="unit-launch"),
    path("o/<int:org_id>/units/<int:unit_id>/edit/", views.unit_edit, name="unit-edit"),
    path("o/<int:org_id>/units/<int:unit_id>/delete/", views.unit_delete, name="unit-delete"),
    path("o/<int:org_id>/units/<int:unit_id>/activate/", views.unit_activate, name="unit-activate"),
    path("o/<int:org_id>/units/<int:unit_id>/end/", views.unit_end, name="unit-end"),
    path("o/<int:org_id>/units/<int:unit_id>/programme/", views.programme_detail, name="programme"),
    path(
        "o/<int:org_id>/units/<int:unit_id>/programme/apply/",
        views.programme_apply_template,
        name="programme-apply",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/programme/approve/",
        views.programme_approve,
        name="programme-approve",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/programme/save-template/",
        views.programme_save_template,
        name="programme-save-template",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/tasks/<int:task_id>/edit/",
        views.task_edit,
        name="task-edit",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/tasks/<int:task_id>/status/",
        views.task_status,
        name="task-status",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/tasks/<int:task_id>/evidence/",
        views.task_evidence,
        name="task-evidence",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/replace-mentor/",
        views.unit_replace_mentor,
        name="unit-replace-mentor",
    ),
]
