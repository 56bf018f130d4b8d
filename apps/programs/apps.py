from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "apps.programs"
    verbose_name = "Наставнические пары и группы"

    def ready(self) -> None:
        from apps.programs import erasure  # noqa: F401 — connects the receivers
