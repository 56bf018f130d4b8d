from django.urls import path

from apps.overview import views

app_name = "overview"

urlpatterns = [
    path("o/<int:org_id>/", views.dashboard, name="org-dashboard"),
    path("o/<int:org_id>/stages/<int:number>/", views.stage_detail, name="stage-detail"),
]
