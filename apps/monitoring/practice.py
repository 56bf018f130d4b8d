"""Figures of the monitoring for a practice sent to a competition (registered into
`library.extensions.PRACTICE_FIGURES`)."""

from __future__ import annotations

from django.utils import timezone

from apps.core.years import academic_year
from apps.monitoring.feedback import unit_growth
from apps.monitoring.indicators import compute, total
from apps.orgs.models import Organisation


def practice_figures(material) -> list[tuple[str, str]]:
    """Rows for a practice sent to a competition (library.competition): its organisation's
    indicators this year and the competence growth of its pair, when it comes from one."""
    org = material.organisation
    today = timezone.localdate()
    year = academic_year(today)
    ids = [org.pk] if org.is_school else list(
        Organisation.objects.subtree(org).schools().values_list("pk", flat=True)
    )  # fmt: skip
    figures = total(compute(ids, year, today))

    def percent(value) -> str:
        return "нет данных" if value is None else f"{value:g} %".replace(".", ",")

    rows = [
        (
            f"Наставников / наставляемых в {year} учебном году",
            f"{figures.mentors} / {figures.mentees}",
        ),
        ("Наставнических пар и групп", str(figures.units)),
        ("Охват педагогов до 35 лет со стажем до 3 лет", percent(figures.young_coverage)),
        ("Завершено программ наставничества", percent(figures.completed_share)),
        ("Задачи ПНП, выполненные в срок", percent(figures.tasks_on_time_share)),
    ]
    if material.source_unit_id:
        for row in unit_growth(material.source_unit):
            before, after = (f"{row[k]:g}".replace(".", ",") for k in ("before", "after"))
            rows.append((f"Самооценка «{row['competency']}» в начале и в конце программы",
                         f"{before} → {after} (ответили: {row['n']})"))  # fmt: skip
    return rows
