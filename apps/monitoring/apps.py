from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "apps.monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from apps.audit.register import track
        from apps.monitoring.feedback import unit_growth
        from apps.programs.extensions import UNIT_PANELS

        UNIT_PANELS.append(lambda unit: {"growth": unit_growth(unit)})
        track("monitoring.monitoringform", lambda o: o.organisation_id, name=lambda o: o.title)
        track("monitoring.formsubmission", lambda o: o.organisation_id, name=str)
