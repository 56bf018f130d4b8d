from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "apps.surveys"
    verbose_name = "Анкеты"

    def ready(self) -> None:
        from apps.surveys import erasure  # noqa: F401 — connects the receivers
