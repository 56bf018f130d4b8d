from django.urls import path

from apps.surveys.views import answer, campaigns, templates

app_name = "surveys"

ORG = "<int:org_id>/surveys"

urlpatterns = [
    path(f"o/{ORG}/", campaigns.campaign_list, name="campaign-list"),
    path(f"o/{ORG}/new/", campaigns.campaign_create, name="campaign-create"),
    path(f"o/{ORG}/<int:campaign_id>/", campaigns.campaign_detail, name="campaign-detail"),
    path(f"o/{ORG}/<int:campaign_id>/remind/", campaigns.campaign_remind, name="campaign-remind"),
    path(
        f"o/{ORG}/<int:campaign_id>/results/",
        campaigns.campaign_results_view,
        name="campaign-results",
    ),
    path(
        f"o/{ORG}/<int:campaign_id>/answers/<int:invitation_id>/",
        campaigns.invitation_detail,
        name="invitation-detail",
    ),
    path(
        f"o/{ORG}/<int:campaign_id>/answers/<int:invitation_id>/reissue/",
        campaigns.invitation_reissue,
        name="invitation-reissue",
    ),
    path(f"o/{ORG}/templates/", templates.template_list, name="template-list"),
    path(f"o/{ORG}/templates/new/", templates.template_create, name="template-create"),
    path(f"o/{ORG}/templates/install/", templates.template_install, name="template-install"),
    path(
        f"o/{ORG}/templates/<int:template_id>/", templates.template_detail, name="template-detail"
    ),
    path(
        f"o/{ORG}/templates/<int:template_id>/edit/", templates.template_edit, name="template-edit"
    ),
    path(
        f"o/{ORG}/templates/<int:template_id>/preview/",
        templates.template_preview,
        name="template-preview",
    ),
    path(
        f"o/{ORG}/templates/<int:template_id>/copy/", templates.template_copy, name="template-copy"
    ),
    path(
        f"o/{ORG}/templates/<int:template_id>/sections/new/",
        templates.section_create,
        name="section-create",
    ),
    path(
        f"o/{ORG}/templates/<int:template_id>/questions/new/",
        templates.question_create,
        name="question-create",
    ),
    path(
        f"o/{ORG}/questions/<int:question_id>/edit/", templates.question_edit, name="question-edit"
    ),
    path(
        f"o/{ORG}/questions/<int:question_id>/move/", templates.question_move, name="question-move"
    ),
    path(
        f"o/{ORG}/questions/<int:question_id>/delete/",
        templates.question_delete,
        name="question-delete",
    ),
    path(f"o/{ORG}/competencies/", templates.competency_list, name="competency-list"),
    path(
        f"o/{ORG}/competencies/<int:competency_id>/edit/",
        templates.competency_edit,
        name="competency-edit",
    ),
    path("s/<str:token>/", answer.answer_by_link, name="answer"),
    path("my/surveys/", answer.my_surveys, name="my-surveys"),
    path("my/surveys/<int:invitation_id>/", answer.my_survey_answer, name="my-survey-answer"),
]
