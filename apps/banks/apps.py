from django.apps import AppConfig


class BanksConfig(AppConfig):
    name = "apps.banks"
    verbose_name = "Банки наставников и наставляемых"

    def ready(self):
        from apps.banks import signals  # noqa: F401 — connects the receivers
