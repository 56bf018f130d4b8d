from django.urls import path

from apps.documents import views

app_name = "documents"

urlpatterns = [
    path("o/<int:org_id>/documents/", views.document_list, name="list"),
    path("o/<int:org_id>/documents/settings/", views.document_settings, name="settings"),
    path("o/<int:org_id>/documents/archive/", views.archive_download, name="archive"),
    path(
        "o/<int:org_id>/documents/archive/<uuid:job_id>/",
        views.archive_job_page,
        name="archive-job",
    ),
    path(
        "o/<int:org_id>/documents/archive/<uuid:job_id>/file/",
        views.archive_file,
        name="archive-file",
    ),
    path("o/<int:org_id>/documents/polozhenie/", views.polozhenie_edit, name="polozhenie"),
    path(
        "o/<int:org_id>/units/<int:unit_id>/programme.docx",
        views.unit_programme,
        name="unit-programme",
    ),
    path("o/<int:org_id>/units/<int:unit_id>/diary.docx", views.unit_diary, name="unit-diary"),
    path("o/<int:org_id>/units/<int:unit_id>/report.docx", views.unit_report, name="unit-report"),
    *[
        path(
            f"o/<int:org_id>/documents/registers/{register}.xlsx",
            views.register_download,
            {"register": register},
            name=f"register-{register}",
        )
        for register in ("orders", "agreements", "consents")
    ],
    path("o/<int:org_id>/documents/new/<str:kind>/", views.document_create, name="create"),
    path(
        "o/<int:org_id>/documents/templates/upload/", views.template_upload, name="template-upload"
    ),
    path(
        "o/<int:org_id>/documents/templates/<str:kind>/",
        views.template_download,
        name="template",
    ),
    path(
        "o/<int:org_id>/documents/templates/<str:kind>/reset/",
        views.template_reset,
        name="template-reset",
    ),
    path("o/<int:org_id>/documents/<int:document_id>/", views.document_detail, name="detail"),
    path(
        "o/<int:org_id>/documents/<int:document_id>/<str:what>/file/",
        views.document_file,
        name="file",
    ),
    path(
        "o/<int:org_id>/documents/<int:document_id>/status/",
        views.document_status,
        name="status",
    ),
    path("o/<int:org_id>/documents/<int:document_id>/scan/", views.document_scan, name="scan"),
    path("o/<int:org_id>/documents/sign/", views.my_signatures, name="my-signatures"),
    path("o/<int:org_id>/documents/sign/accept/", views.pep_accept, name="pep-accept"),
    path("o/<int:org_id>/documents/<int:document_id>/sign/", views.sign_page, name="sign"),
    path(
        "o/<int:org_id>/documents/<int:document_id>/sign/code/",
        views.sign_code,
        name="sign-code",
    ),
    path(
        "o/<int:org_id>/documents/<int:document_id>/sign/confirm/",
        views.sign_confirm,
        name="sign-confirm",
    ),
    path(
        "o/<int:org_id>/documents/<int:document_id>/qualified/",
        views.document_qualified,
        name="qualified",
    ),
    path("verify/<str:token>/", views.verify, name="verify"),
    path(
        "o/<int:org_id>/documents/<int:document_id>/reissue/",
        views.document_reissue,
        name="reissue",
    ),
]
