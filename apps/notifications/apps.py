from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = "Уведомления"

    def ready(self) -> None:
        from apps.notifications import receivers  # noqa: F401 — connects the receivers
        from apps.notifications.channels import register_channel
        from apps.notifications.mail import EmailChannel, InAppChannel

        register_channel(InAppChannel())
        register_channel(EmailChannel())
