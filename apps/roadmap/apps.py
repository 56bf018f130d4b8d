from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "apps.roadmap"
    verbose_name = "Дорожная карта"

    def ready(self) -> None:
        from apps.core import datagen
        from apps.documents.extensions import ROADMAP_ROWS
        from apps.roadmap import erasure  # noqa: F401 — connects the receivers
        from apps.roadmap.services import roadmap_rows

        ROADMAP_ROWS.append(roadmap_rows)
        datagen.connect()  # the statuses are cached under the data generation
