from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "apps.library"
    verbose_name = "Методическая копилка"

    def ready(self) -> None:
        from apps.library import erasure, signals  # noqa: F401 — registers the receivers
