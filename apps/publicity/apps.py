from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "apps.publicity"
    verbose_name = "Информационное сопровождение"

    def ready(self) -> None:
        from apps.library.extensions import CONSENT_CHECKS
        from apps.publicity import erasure, signals  # noqa: F401
        from apps.publicity.guard import competition_names
        from apps.publicity.stage import stage_facts
        from apps.roadmap.status import FACT_SOURCES

        FACT_SOURCES.append(stage_facts)
        CONSENT_CHECKS.append(competition_names)
