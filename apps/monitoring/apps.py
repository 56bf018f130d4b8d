from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "apps.monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from apps.audit.register import track
        from apps.jobs.registry import register
        from apps.library.extensions import PRACTICE_FIGURES
        from apps.monitoring.feedback import unit_growth
        from apps.monitoring.jobs import REPORT_JOB
        from apps.monitoring.practice import practice_figures
        from apps.programs.extensions import UNIT_PANELS

        register(REPORT_JOB, "apps.monitoring.jobs.report_job")
        UNIT_PANELS.append(lambda unit: {"growth": unit_growth(unit)})
        PRACTICE_FIGURES.append(practice_figures)
        track("monitoring.monitoringform", lambda o: o.organisation_id, name=lambda o: o.title)
        track("monitoring.formsubmission", lambda o: o.organisation_id, name=str)
