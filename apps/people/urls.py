from django.urls import path

from apps.people.views import consents, econsent, imports, staff

app_name = "people"

urlpatterns = [
    path("<int:org_id>/staff/", staff.person_list, name="person-list"),
    path("<int:org_id>/staff/new/", staff.person_create, name="person-create"),
    path("<int:org_id>/staff/search/", staff.person_search, name="person-search"),
    path("<int:org_id>/staff/<int:person_id>/", staff.person_detail, name="person-detail"),
    path("<int:org_id>/staff/<int:person_id>/edit/", staff.person_edit, name="person-edit"),
    path(
        "<int:org_id>/staff/<int:person_id>/archive/", staff.person_archive, name="person-archive"
    ),
    path(
        "<int:org_id>/staff/<int:person_id>/restore/", staff.person_restore, name="person-restore"
    ),
    path("<int:org_id>/staff/<int:person_id>/invite/", staff.person_invite, name="person-invite"),
    path("<int:org_id>/staff/<int:person_id>/link/", staff.person_link, name="person-link"),
    path("<int:org_id>/staff/accounts/<int:user_id>/", staff.account_match, name="account-match"),
    path("<int:org_id>/staff/import/", imports.import_upload, name="import-upload"),
    path(
        "<int:org_id>/staff/import/template.xlsx",
        imports.import_template,
        name="import-template",
    ),
    path(
        "<int:org_id>/staff/import/<int:batch_id>/",
        imports.import_preview,
        name="import-preview",
    ),
    path(
        "<int:org_id>/staff/import/<int:batch_id>/apply/",
        imports.import_apply,
        name="import-apply",
    ),
    path("<int:org_id>/consents/", consents.consent_overview, name="consent-overview"),
    path("<int:org_id>/consents/bulk/", consents.consent_bulk, name="consent-bulk"),
    path("<int:org_id>/consents/settings/", consents.consent_settings, name="consent-settings"),
    path("consent/<str:token>/", econsent.consent_sign, name="consent-sign"),
    path("<int:org_id>/consents/acts/", consents.act_list, name="act-list"),
    path("<int:org_id>/consents/acts/<int:act_id>/", consents.act_detail, name="act-detail"),
    path("<int:org_id>/consents/<int:consent_id>/", consents.consent_detail, name="consent-detail"),
    path(
        "<int:org_id>/consents/<int:consent_id>/withdraw/",
        consents.consent_withdraw,
        name="consent-withdraw",
    ),
    path(
        "<int:org_id>/consents/<int:consent_id>/withdraw/print/",
        consents.consent_withdrawal_print,
        name="consent-withdraw-print",
    ),
    path(
        "<int:org_id>/consents/<int:consent_id>/scan/",
        consents.consent_scan,
        name="consent-scan",
    ),
    path(
        "<int:org_id>/staff/<int:person_id>/consents/new/",
        consents.consent_create,
        name="consent-create",
    ),
    path(
        "<int:org_id>/staff/<int:person_id>/consents/<str:kind>/print/",
        consents.consent_print,
        name="consent-print",
    ),
]
