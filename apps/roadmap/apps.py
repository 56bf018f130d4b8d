from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "apps.roadmap"
    verbose_name = "Дорожная карта"

    def ready(self) -> None:
        from apps.roadmap import erasure  # noqa: F401 — connects the receivers
