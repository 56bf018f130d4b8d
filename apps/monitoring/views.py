import io

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.sheets import append_row
from apps.core.years import academic_year
from apps.jobs.services import start_job
from apps.jobs.views import job_file, job_page
from apps.monitoring.feedback import FeedbackError, launch
from apps.monitoring.indicators import DEFINITIONS
from apps.monitoring.jobs import REPORT_JOB
from apps.monitoring.queries import COLUMNS, computed, dashboard_data
from apps.orgs.access import POST_ONLY, SCHOOL, can, org_view
from apps.orgs.params import search_text, year_param
from apps.orgs.tenancy import get_for
from apps.programs.models import MentoringUnit
from apps.roadmap.views import _year


@org_view("monitoring.view")
def dashboard(request, org):
    year = _year(request)
    form = search_text(request.GET.get("form"))
    # Only roles that answer for the figures may ask for a recompute; it runs as a task.
    refresh = bool(request.GET.get("refresh")) and can(request, "monitoring.refresh")
    data = computed(org, year, form, refresh=refresh)
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
            "can_refresh": can(request, "monitoring.refresh"),
            "sort": sort,
            "months": data["months"],
            "years": [academic_year(last_year), academic_year()],
        },
    )  # fmt: skip


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


@org_view("monitoring.view", methods=POST_ONLY)
def report(request, org):
    """Start the year's report (.docx, or PDF through LibreOffice) as a background job."""
    year = year_param(request.POST.get("year"), academic_year())
    fmt = "pdf" if request.POST.get("format") == "pdf" else "docx"
    job = start_job(
        org=org, user=request.user, kind_code=REPORT_JOB,
        title=f"Отчёт о наставничестве за {year} ({fmt.upper()})",
        params={"year": year, "format": fmt},
    )  # fmt: skip
    return redirect("monitoring:report-job", org_id=org.pk, report_job_id=job.pk)


@org_view("monitoring.view")
def report_job_page(request, org, report_job_id):
    return job_page(
        request, org, report_job_id, kind_code=REPORT_JOB,
        file_url=reverse("monitoring:report-file", args=[org.pk, report_job_id]),
        back_url=reverse("monitoring:dashboard", args=[org.pk]), back="Мониторинг",
    )  # fmt: skip


@org_view("monitoring.view")
def report_file(request, org, report_job_id):
    return job_file(org, report_job_id, kind_code=REPORT_JOB)


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
