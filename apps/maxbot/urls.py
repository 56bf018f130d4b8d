from django.urls import path

from apps.maxbot import views

app_name = "maxbot"

urlpatterns = [
    path("accounts/max/", views.link, name="link"),
    path("accounts/max/unlink/", views.unlink_view, name="unlink"),
    path("max/webhook/", views.webhook, name="webhook"),
]
