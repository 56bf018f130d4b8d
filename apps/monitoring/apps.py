from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "apps.monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from apps.jobs.registry import register
        from apps.monitoring.feedback import unit_growth
        from apps.monitoring.jobs import REPORT_JOB

        register(REPORT_JOB, "apps.monitoring.jobs.report_job")
        from apps.programs.extensions import UNIT_PANELS

        UNIT_PANELS.append(lambda unit: {"growth": unit_growth(unit)})
