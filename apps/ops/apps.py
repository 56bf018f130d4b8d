from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "apps.ops"
    verbose_name = "Эксплуатация"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from apps.ops.middleware import start_session

        user_logged_in.connect(start_session, dispatch_uid="apps.ops.start_session")
