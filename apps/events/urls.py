from django.urls import path

from apps.events import views

app_name = "events"

urlpatterns = [
    path("my/events/", views.my_events, name="my"),
    path("ical/<str:token>.ics", views.feed, name="feed"),
    path("e/<str:token>/", views.answer_by_link, name="answer"),
    path("o/<int:org_id>/events/", views.event_list, name="list"),
    path("o/<int:org_id>/events/new/", views.event_edit, name="create"),
    path("o/<int:org_id>/events/<int:event_id>/", views.event_detail, name="detail"),
    path("o/<int:org_id>/events/<int:event_id>/edit/", views.event_edit, name="edit"),
]
