from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Realistic demo data for `make run` (`manage.py load_demo`): imports every app, nobody
    imports it."""

    name = "apps.demo"
    verbose_name = "Демонстрационные данные"
