from django.urls import path

from apps.orgs import views

app_name = "orgs"

urlpatterns = [
    path("<int:org_id>/settings/", views.org_edit, name="org-edit"),
    path("<int:org_id>/children/new/", views.org_create_child, name="org-create-child"),
    path("<int:org_id>/members/", views.member_list, name="member-list"),
    path(
        "<int:org_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
]
