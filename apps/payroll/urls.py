from django.urls import path

from apps.payroll import views

app_name = "payroll"

urlpatterns = [
    path("o/<int:org_id>/payroll/", views.register, name="register"),
    path("o/<int:org_id>/payroll/rules/", views.rules, name="rules"),
    path(
        "o/<int:org_id>/payroll/rules/<int:rule_id>/delete/", views.rule_delete, name="rule-delete"
    ),
    path("o/<int:org_id>/payroll/register.xlsx", views.register_xlsx_file, name="xlsx"),
    path("o/<int:org_id>/payroll/register.docx", views.register_document, name="document"),
]
