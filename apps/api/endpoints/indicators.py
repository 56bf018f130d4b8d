"""Monitoring indicators: the same grouped computation as the dashboard."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from apps.api.common import READ_ERRORS, OrgId, SafeStr, org_for
from apps.api.errors import FormInvalid
from apps.core.years import academic_year
from apps.monitoring.indicators import Figures, compute, months_elapsed, total
from apps.orgs.models import Organisation

router = Router(tags=["Мониторинг"])


class FiguresOut(Schema):
    mentors: int
    mentees: int
    units: int
    completed: int
    terminated: int
    unpaired: int
    meetings: int
    young_coverage: float | None
    specialists_coverage: float | None
    newcomers_coverage: float | None
    completed_share: float | None
    terminated_share: float | None
    tasks_on_time_share: float | None
    meetings_rate: float | None = Field(description="Встреч на пару в месяц")
    average_wait: float | None
    retention_1: float | None
    retention_3: float | None
    average_load: float | None
    max_load: int
    by_form: dict[str, int]


class SchoolFiguresOut(FiguresOut):
    organisation_id: int
    short_name: str


class IndicatorsOut(Schema):
    year: str
    months: int
    summary: FiguresOut
    schools: list[SchoolFiguresOut]


class IndicatorsFilter(Schema):
    year: str | None = Field(
        None, pattern=r"^\d{4}/\d{4}$", description="Учебный год, например 2025/2026"
    )
    form: SafeStr = Field("", max_length=200, description="Только одна форма наставничества")


FIELDS = [name for name in FiguresOut.model_fields if name not in ("meetings_rate", "by_form")]


def figures_out(figures: Figures, months: int) -> dict:
    data = {name: getattr(figures, name) for name in FIELDS}
    data["meetings_rate"] = figures.meetings_per_unit_month(months)
    data["by_form"] = {str(k): v for k, v in figures.by_form.items()}
    return data


def _year(value: str | None) -> str:
    if value is None:
        return academic_year()
    start, end = int(value[:4]), int(value[5:])
    if end != start + 1 or not 2000 <= start <= 2100:
        raise FormInvalid({"year": ["Учебный год указывается как «2025/2026»."]})
    return value


@router.get("/organisations/{org_id}/indicators", response={200: IndicatorsOut, **READ_ERRORS})
def indicators(request: HttpRequest, org_id: OrgId, filters: Query[IndicatorsFilter]) -> dict:
    """Показатели наставничества за учебный год: итог и по каждой школе. Доля без данных —
    `null`, а не 0."""
    org = org_for(request, org_id, "monitoring.view")
    year = _year(filters.year)
    today = timezone.localdate()
    schools = [org] if org.is_school else list(Organisation.objects.subtree(org).schools())
    per_school = compute([s.pk for s in schools], year, today, form=filters.form)
    months = months_elapsed(year, today)
    return {
        "year": year,
        "months": months,
        "summary": figures_out(total(per_school), months),
        "schools": [
            {
                "organisation_id": s.pk,
                "short_name": s.short_name,
                **figures_out(per_school.get(s.pk) or Figures(), months),
            }
            for s in schools
        ],
    }
