from django.urls import path

from apps.banks import views
from apps.banks.models import BankKind

app_name = "banks"

MENTEE = {"kind": BankKind.MENTEE}
MENTOR = {"kind": BankKind.MENTOR}

urlpatterns = [
    path("o/<int:org_id>/banks/mentees/", views.bank_list, MENTEE, name="mentee-list"),
    path("o/<int:org_id>/banks/mentors/", views.bank_list, MENTOR, name="mentor-list"),
    path("o/<int:org_id>/banks/mentees/export.xlsx", views.bank_export, MENTEE,
         name="mentee-export"),
    path("o/<int:org_id>/banks/mentors/export.xlsx", views.bank_export, MENTOR,
         name="mentor-export"),
    path("o/<int:org_id>/banks/mentees/add/", views.profile_add, MENTEE, name="mentee-add"),
    path("o/<int:org_id>/banks/mentors/add/", views.profile_add, MENTOR, name="mentor-add"),
    path("o/<int:org_id>/banks/profiles/<int:profile_id>/", views.profile_detail,
         name="profile-detail"),
    path("my/profiles/<int:profile_id>/", views.my_profile, name="my-profile"),
]  # fmt: skip
