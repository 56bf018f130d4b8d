from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "apps.matching"
    verbose_name = "Подбор наставников"

    def ready(self) -> None:
        from apps.matching import erasure  # noqa: F401 — connects the receivers
