from django.urls import path

from apps.library import views

app_name = "library"

urlpatterns = [
    path("o/<int:org_id>/library/", views.material_list, name="list"),
    path("o/<int:org_id>/library/new/", views.material_edit, name="create"),
    path("o/<int:org_id>/library/<int:material_id>/", views.material_detail, name="detail"),
    path("o/<int:org_id>/library/<int:material_id>/edit/", views.material_edit, name="edit"),
    path("o/<int:org_id>/library/<int:material_id>/file/", views.material_file, name="file"),
    path("o/<int:org_id>/library/collection/", views.collection, name="collection"),
    path(
        "o/<int:org_id>/library/<int:material_id>/competition/",
        views.material_competition,
        name="competition",
    ),
    path(
        "o/<int:org_id>/library/<int:material_id>/moderate/",
        views.material_moderate,
        name="moderate",
    ),
]
