from django.urls import path

from apps.roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("o/<int:org_id>/roadmap/", views.roadmap, name="roadmap"),
    path("o/<int:org_id>/roadmap/schools/", views.network, name="network"),
    path("o/<int:org_id>/roadmap/items/new/", views.item_edit, name="item-create"),
    path("o/<int:org_id>/roadmap/shift/", views.plan_shift, name="plan-shift"),
    path("o/<int:org_id>/roadmap/items/<int:item_id>/", views.item_edit, name="item-edit"),
    path(
        "o/<int:org_id>/roadmap/items/<int:item_id>/delete/", views.item_delete, name="item-delete"
    ),
]
