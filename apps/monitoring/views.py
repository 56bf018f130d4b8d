import io

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.office import PdfUnavailable, to_pdf
from apps.core.sheets import append_row
from apps.core.years import academic_year, year_bounds
from apps.monitoring.feedback import FeedbackError, growth, launch, satisfaction
from apps.monitoring.indicators import (
    DEFINITIONS,
    Figures,
    by_years,
    compute,
    months_elapsed,
    total,
)
from apps.monitoring.report import yearly_report
from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.orgs.models import Organisation
from apps.orgs.params import search_text
from apps.orgs.tenancy import get_for
from apps.programs.models import MentoringUnit
from apps.roadmap.views import _year

COLUMNS = [
    # key, label, kind: "n" number, "p" percent
    ("mentors", "Наставников", "n"),
    ("mentees", "Наставляемых", "n"),
    ("units", "Пар и групп", "n"),
    ("young_coverage", "Охват молодых педагогов, %", "p"),
    ("specialists_coverage", "Охват молодых специалистов, %", "p"),
    ("newcomers_coverage", "Охват новых сотрудников, %", "p"),
    ("completed_share", "Завершено, %", "p"),
    ("terminated_share", "Прекращено досрочно, %", "p"),
    ("tasks_on_time_share", "Задачи ПНП в срок, %", "p"),
    ("meetings_rate", "Встреч на пару в месяц", "n"),
    ("unpaired", "Без пары", "n"),
    ("average_wait", "Ожидание, дней", "n"),
    ("retention_1", "Удержание МС через 1 год, %", "p"),
    ("retention_3", "Удержание МС через 3 года, %", "p"),
    ("average_load", "Нагрузка наставника", "n"),
]
# Traffic lights for coverage: green from 80 %, yellow from 50 %.
GREEN, YELLOW = 80, 50


def _row(figures, months: int) -> dict:
    row = {}
    for key, _label, _kind in COLUMNS:
        if key == "meetings_rate":
            row[key] = figures.meetings_per_unit_month(months)
        else:
            row[key] = getattr(figures, key)
    return row


def _light(value) -> str:
    if value is None:
        return "none"
    return "green" if value >= GREEN else ("yellow" if value >= YELLOW else "red")


def dashboard_data(org: Organisation, year: str, form: str = ""):
    """Totals and comparison rows: schools for a municipality, municipalities for a region."""
    today = timezone.localdate()
    schools = (
        [org]
        if org.is_school
        else list(Organisation.objects.subtree(org).schools().order_by("short_name"))
    )
    per_school = compute([s.pk for s in schools], year, today, form=form)
    months = months_elapsed(year, today)
    overall = total({s.pk: per_school[s.pk] for s in schools if s.pk in per_school})
    children = list(org.children.order_by("short_name")) if not org.is_school else []
    if children and not all(child.is_school for child in children):
        # A region compares its municipalities: sum each one's schools.
        depth = len(org.ancestor_ids()) + 1
        groups: dict[int, Figures] = {child.pk: Figures() for child in children}
        for school in schools:
            ids = school.ancestor_ids()
            if len(ids) > depth - 1 and ids[depth - 1] in groups and school.pk in per_school:
                groups[ids[depth - 1]].add(per_school[school.pk])
        rows = [{"school": child, **_row(groups[child.pk], months)} for child in children]
    else:
        rows = [{"school": s, **_row(per_school.get(s.pk) or Figures(), months)} for s in schools]
    for row in rows:
        row["light"] = _light(row["young_coverage"])
    return overall, _row(overall, months), rows, months


def computed(org: Organisation, year: str, form: str, *, refresh: bool = False) -> dict:
    """Everything heavy the dashboard shows, kept in the cache for MONITORING_CACHE_SECONDS
    (a materialised summary: `manage.py refresh_monitoring` recomputes it in the background)."""
    key = f"monitoring:{org.pk}:{year}:{form}"
    seconds = settings.MONITORING_CACHE_SECONDS
    if seconds and not refresh and (hit := cache.get(key)) is not None:
        return hit
    overall, summary, rows, months = dashboard_data(org, year, form)
    ids = [org.pk] if org.is_school else [r["school"].pk for r in rows]
    if not org.is_school and org.kind == "region":
        ids = list(Organisation.objects.subtree(org).schools().values_list("pk", flat=True))
    start, end = year_bounds(year)
    data = {
        "overall": overall,
        "summary": summary,
        "rows": rows,
        "months": months,
        "feedback": satisfaction(ids, start, end),
        "growth": growth(ids, start, end),
        "form_names": sorted(
            set(
                MentoringUnit.objects.filter(organisation_id__in=ids).values_list(
                    "format__name", flat=True
                )
            )
        ),
        "history": history_rows(ids),
        "computed_at": timezone.now(),
    }
    if seconds:
        cache.set(key, data, seconds)
    return data


@org_view("monitoring.view")
def dashboard(request, org):
    year = _year(request)
    form = search_text(request.GET.get("form"))
    data = computed(org, year, form, refresh=bool(request.GET.get("refresh")))
    rows = list(data["rows"])
    sort = request.GET.get("sort", "")
    if sort in {k for k, _l, _t in COLUMNS}:
        rows.sort(key=lambda r: (r[sort] is None, -(r[sort] or 0)))
    overall, feedback = data["overall"], data["feedback"]
    forms = sorted(overall.by_form.items(), key=lambda item: -item[1])
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, day=min(today.day, 28))
    top = max([n for _f, n in forms] or [1])
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "org": org,
            "year": year,
            "summary": data["summary"],
            "overall": overall,
            "rows": rows,
            "columns": COLUMNS,
            "forms": [(name, n, round(100 * n / top)) for name, n in forms],
            "definitions": DEFINITIONS,
            "satisfaction": [
                (label, feedback.get((purpose, "start")), feedback.get((purpose, "end")))
                for purpose, label in (
                    ("feedback_mentee", "Наставляемые"),
                    ("feedback_mentor", "Наставники"),
                )
            ],
            "growth": data["growth"],
            "form": form,
            "form_names": data["form_names"],
            "history": data["history"],
            "computed_at": data["computed_at"],
            "cached": bool(settings.MONITORING_CACHE_SECONDS),
            "sort": sort,
            "months": data["months"],
            "years": [academic_year(last_year), academic_year()],
        },
    )  # fmt: skip


def history_rows(ids) -> list[dict]:
    rows = by_years(ids)
    top = max([r["mentees"] for r in rows] or [1]) or 1
    for row in rows:
        row["width"] = round(100 * row["mentees"] / top)
    return rows


@org_view("monitoring.view")
def export(request, org):
    """The indicators table as .xlsx (a row per school and a total)."""
    year = _year(request)
    _overall, summary, rows, _months = dashboard_data(org, year)
    book = Workbook()
    sheet = book.active
    sheet.title = "Показатели"
    sheet.append(["Организация", *[label for _k, label, _t in COLUMNS]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, [row["school"].short_name, *[row[k] for k, _l, _t in COLUMNS]])
    if not org.is_school:
        append_row(sheet, [f"Итого: {org.short_name}", *[summary[k] for k, _l, _t in COLUMNS]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="monitoring-{year.replace("/", "-")}.xlsx"'
    )
    return response


@org_view("monitoring.view")
def report(request, org):
    """The year's report as .docx (or PDF with ?format=pdf, through LibreOffice)."""
    year = _year(request)
    overall, summary, rows, _months = dashboard_data(org, year)
    forms = sorted(overall.by_form.items(), key=lambda item: -item[1])
    data = yearly_report(org, year, summary, rows, COLUMNS, [(n, c, 0) for n, c in forms])
    name = f"Отчёт о наставничестве {org.short_name} {year.replace('/', '-')}"
    if request.GET.get("format") == "pdf":
        try:
            pdf = to_pdf(data)
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect(reverse("monitoring:dashboard", args=[org.pk]) + f"?year={year}")
        return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=f"{name}.pdf",
                            content_type="application/pdf")  # fmt: skip
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"{name}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def unit_feedback(request, org, unit_id):
    """Send the unit's monitoring questionnaires for the start or the end of its programme."""
    unit = get_for(org, MentoringUnit, unit_id)
    try:
        campaigns = launch(unit, request.POST.get("phase", ""), by=request.user)
    except FeedbackError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Разосланы анкеты: {len(campaigns)}.")
    return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
