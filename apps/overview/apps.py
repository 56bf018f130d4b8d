from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """Home pages per role and the stage pages: reads every app, nobody imports it."""

    name = "apps.overview"
    verbose_name = "Обзор"
