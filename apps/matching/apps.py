from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "apps.matching"
    verbose_name = "Подбор наставников"

    def ready(self) -> None:
        from apps.matching import erasure  # noqa: F401 — connects the receivers
        from apps.matching.choice import my_units_panel
        from apps.programs.extensions import MY_UNITS_PANELS

        MY_UNITS_PANELS.append(my_units_panel)
