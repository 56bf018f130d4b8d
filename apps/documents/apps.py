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
        # Electronic signatures, acceptances of the ПЭП rules and refused attempts: who, when.
        track(
            "documents.signature",
            lambda o: o.organisation_id,
            lambda o: o.person_id,
            lambda o: (
                f"{o.get_method_display()} ({o.get_purpose_display().lower()}): "
                f"документ № {o.document.number}"
            ),
        )
        track("documents.pepacceptance", lambda o: o.organisation_id, name=lambda o: str(o))
        track(
            "documents.signingattempt",
            lambda o: o.organisation_id,
            name=lambda o: f"Отказ: {o.what}",
        )
