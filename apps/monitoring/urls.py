from django.urls import path

from apps.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("o/<int:org_id>/monitoring/", views.dashboard, name="dashboard"),
    path("o/<int:org_id>/monitoring/export.xlsx", views.export, name="export"),
    path("o/<int:org_id>/monitoring/report/", views.report, name="report"),
    path("o/<int:org_id>/monitoring/forms/", views.form_list, name="form-list"),
    path("o/<int:org_id>/monitoring/forms/<int:form_id>/", views.form_detail, name="form-detail"),
    path(
        "o/<int:org_id>/monitoring/forms/<int:form_id>/export.xlsx",
        views.form_export,
        name="form-export",
    ),
    path("o/<int:org_id>/monitoring/returns/", views.return_list, name="return-list"),
    path(
        "o/<int:org_id>/monitoring/returns/<int:form_id>/",
        views.return_detail,
        name="return-detail",
    ),
    path(
        "o/<int:org_id>/monitoring/report/<uuid:report_job_id>/",
        views.report_job_page,
        name="report-job",
    ),
    path(
        "o/<int:org_id>/monitoring/report/<uuid:report_job_id>/file/",
        views.report_file,
        name="report-file",
    ),
    path(
        "o/<int:org_id>/units/<int:unit_id>/feedback/",
        views.unit_feedback,
        name="unit-feedback",
    ),
]
