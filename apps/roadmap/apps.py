from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "apps.roadmap"
    verbose_name = "Дорожная карта"
