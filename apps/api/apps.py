from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "apps.api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from apps.api import erasure  # noqa: F401 — connects the receivers
