from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    verbose_name = "Мероприятия"

    def ready(self) -> None:
        from apps.events import erasure  # noqa: F401 — connects the receivers
