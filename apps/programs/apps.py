from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "apps.programs"
    verbose_name = "Наставнические пары и группы"
