from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "apps.payroll"
    verbose_name = "Доплаты наставникам"

    def ready(self) -> None:
        from apps.audit.register import track

        track("payroll.payrule", lambda o: o.organisation_id, name=lambda o: str(o))
        track("payroll.payregister", lambda o: o.organisation_id, name=lambda o: str(o))
