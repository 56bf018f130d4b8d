import io

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.office import PdfUnavailable, to_pdf
from apps.core.sheets import append_row
from apps.core.years import academic_year
from apps.monitoring.feedback import FeedbackError, launch
from apps.monitoring.indicators import DEFINITIONS
from apps.monitoring.queries import COLUMNS, computed, dashboard_data
from apps.monitoring.report import report_author, yearly_report
from apps.orgs.access import POST_ONLY, SCHOOL, can, org_view
from apps.orgs.params import search_text
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


@org_view("monitoring.view")
def report(request, org):
    """The year's report as .docx (or PDF with ?format=pdf, through LibreOffice)."""
    year = _year(request)
    figures = computed(org, year, "")
    data = yearly_report(
        org=org, year=year, day=timezone.localdate(), author=report_author(request.user, org),
        overall=figures["overall"], summary=figures["summary"], rows=figures["rows"],
        columns=COLUMNS, feedback=figures["feedback"], growth=figures["growth"],
    )  # fmt: skip
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
