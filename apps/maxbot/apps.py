from django.apps import AppConfig


class MaxbotConfig(AppConfig):
    name = "apps.maxbot"
    verbose_name = "Бот MAX"

    def ready(self) -> None:
        from apps.maxbot.channel import MaxChannel
        from apps.notifications.channels import register_channel

        register_channel(MaxChannel())
