from django.urls import path

from apps.audit import views

app_name = "audit"

urlpatterns = [path("o/<int:org_id>/audit/", views.journal, name="journal")]
