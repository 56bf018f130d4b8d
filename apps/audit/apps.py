from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = "Журнал действий"

    def ready(self) -> None:
        from apps.audit import signals

        signals.connect()
