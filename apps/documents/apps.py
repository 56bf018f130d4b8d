from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    verbose_name = "Документы"

    def ready(self) -> None:
        from apps.audit.register import track
        from apps.documents.archive import ARCHIVE_JOB, archive_job
        from apps.jobs.registry import register

        register(ARCHIVE_JOB, archive_job)

        track(
            "documents.document",
            lambda o: o.organisation_id,
            lambda o: o.person_id,
            lambda o: f"№ {o.number} {o.title}",
        )
