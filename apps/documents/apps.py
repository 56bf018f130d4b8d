from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    verbose_name = "Документы"

    def ready(self) -> None:
        from apps.audit.register import track

        track(
            "documents.document",
            lambda o: o.organisation_id,
            lambda o: o.person_id,
            lambda o: f"№ {o.number} {o.title}",
        )
