from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = "Журнал действий"

    def ready(self) -> None:
        from apps.audit.register import track

        track(
            "orgs.membership",
            lambda o: o.organisation_id,
            name=lambda o: f"{o.user.email}: {o.get_role_display()}",
        )
