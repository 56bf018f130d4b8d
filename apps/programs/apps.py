from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "apps.programs"
    verbose_name = "Наставнические пары и группы"

    def ready(self) -> None:
        from apps.audit.register import track
        from apps.orgs.signals import school_created
        from apps.programs import erasure  # noqa: F401 — connects the receivers
        from apps.programs.models import MentoringUnit, Programme
        from apps.programs.programme import install_school_defaults

        school_created.connect(install_school_defaults, dispatch_uid="programs-defaults")

        def unit_org(unit_id: int) -> int | None:
            units = MentoringUnit.objects.filter(pk=unit_id)
            return units.values_list("organisation_id", flat=True).first()

        def programme_org(programme_id: int) -> int | None:
            programmes = Programme.objects.filter(pk=programme_id)
            return programmes.values_list("unit__organisation_id", flat=True).first()

        track("programs.mentoringunit", lambda o: o.organisation_id)
        track(
            "programs.unitmember",
            lambda o: unit_org(o.unit_id),
            lambda o: o.mentee_id,
            lambda o: f"Участник пары/группы № {o.unit_id} (сотрудник № {o.mentee_id})",
        )
        track(
            "programs.programme",
            lambda o: unit_org(o.unit_id),
            name=lambda o: f"ПНП пары/группы № {o.unit_id}",
        )
        track("programs.task", lambda o: programme_org(o.programme_id), name=lambda o: o.title)
