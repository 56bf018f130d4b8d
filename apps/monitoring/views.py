import io

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.core.plural import plural
from apps.core.sheets import append_row
from apps.core.years import academic_year
from apps.jobs.services import start_job
from apps.jobs.views import job_file, job_page
from apps.monitoring import regional
from apps.monitoring.feedback import FeedbackError, launch
from apps.monitoring.forms import MonitoringFormForm, ReturnForm
from apps.monitoring.indicators import DEFINITIONS
from apps.monitoring.jobs import REPORT_JOB
from apps.monitoring.models import FormSubmission, MonitoringForm, SubmissionStatus
from apps.monitoring.queries import COLUMNS, computed, dashboard_data
from apps.orgs.access import ABOVE_SCHOOL, POST_ONLY, SCHOOL, can, org_view
from apps.orgs.models import Organisation
from apps.orgs.params import search_text, year_param
from apps.orgs.tenancy import get_for, get_within
from apps.programs.models import MentoringUnit
from apps.roadmap.views import _year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    from openpyxl import Workbook  # loaded by the export, not by the pages
    from openpyxl.styles import Font

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


# --- Regional monitoring exchange: the methodist's forms and the school's answers --------------


@org_view("monitoring.collect", level=ABOVE_SCHOOL)
def form_list(request, org):
    """The forms this municipality (or region) asks its schools, and a new one."""
    form = MonitoringFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = regional.create_form(
                org=org, title=data["title"], year=data["year"], deadline=data["deadline"],
                codes=data["indicators"], by=request.user,
            )  # fmt: skip
        except regional.FormError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Форма «{created.title}» открыта для школ.")
            return redirect("monitoring:form-detail", org_id=org.pk, form_id=created.pk)
    forms = MonitoringForm.objects.within(org).select_related("organisation")
    context = {"org": org, "form": form, "items": forms}
    return render(request, "monitoring/form_list.html", context)


@org_view("monitoring.collect", level=ABOVE_SCHOOL)
def form_detail(request, org, form_id):
    """Who submitted, returning an answer for correction, allowing late answers."""
    item = get_within(org, MonitoringForm, form_id)
    if request.method == "POST":
        _form_action(request, org, item)
        return redirect("monitoring:form-detail", org_id=org.pk, form_id=item.pk)
    rows = regional.collection(item)
    sent = sum(1 for _s, answer in rows if answer and answer.status == SubmissionStatus.SUBMITTED)
    return render(request, "monitoring/form_detail.html", {
        "org": org, "item": item, "rows": rows, "sent": sent, "today": timezone.localdate(),
        "indicators": [regional.BY_CODE[c] for c in item.indicators],
        "sent_text": f"{sent} {plural(sent, 'школа', 'школы', 'школ')} из {len(rows)}",
    })  # fmt: skip


def _form_action(request, org, item) -> None:
    if item.organisation_id != org.pk:
        messages.error(request, "Форму ведёт тот, кто её задал: "
                       f"{item.organisation.short_name}.")  # fmt: skip
        return
    action = request.POST.get("action")
    if action in ("allow-late", "close-late"):
        regional.set_allow_late(form=item, allow=action == "allow-late")
        messages.success(request, "Отправка после срока разрешена." if item.allow_late
                         else "Отправка после срока закрыта.")  # fmt: skip
        return
    returned = ReturnForm(request.POST)
    if not returned.is_valid():
        messages.error(request, "Укажите, что исправить: причина возврата видна куратору школы.")
        return
    school = regional_school(item, returned.cleaned_data["school"])
    try:
        regional.return_submission(form=item, school=school, by=request.user,
                                   reason=returned.cleaned_data["reason"])  # fmt: skip
    except regional.FormError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Форма возвращена на доработку: {school.short_name}.")


def regional_school(item, school_id: int):
    """A school below the form's organisation, else 404."""
    return get_object_or_404(
        Organisation.objects.subtree(item.organisation).schools(), pk=school_id
    )


@org_view("monitoring.view", level=ABOVE_SCHOOL)
def form_export(request, org, form_id):
    item = get_within(org, MonitoringForm, form_id)
    response = HttpResponse(regional.consolidated_xlsx(item), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="monitoring-form-{item.pk}.xlsx"'
    return response


@org_view("monitoring.view", level=SCHOOL)
def return_list(request, org):
    """The forms the school is asked for by its municipality and region."""
    items = list(MonitoringForm.objects.above(org).select_related("organisation"))
    answers = {s.form_id: s for s in FormSubmission.objects.of(org).filter(form__in=items)}
    rows = [(item, answers.get(item.pk)) for item in items]
    context = {"org": org, "rows": rows, "today": timezone.localdate()}
    return render(request, "monitoring/return_list.html", context)


@org_view("monitoring.view", post="monitoring.submit", level=SCHOOL)
def return_detail(request, org, form_id):
    """The school's figures for the form: review, comment per indicator, submit."""
    item = get_object_or_404(MonitoringForm.objects.above(org), pk=form_id)
    submission = regional.submission_of(item, org)
    if request.method == "POST":
        comments = {code: request.POST.get(f"comment-{code}", "") for code in item.indicators}
        submit = request.POST.get("action") == "submit"
        try:
            regional.save_review(form=item, school=org, comments=comments, submit=submit,
                                 by=request.user)  # fmt: skip
        except regional.FormError as error:
            messages.error(request, error.message)
            submission.comments = comments  # shown again as typed; nothing was saved
        else:
            messages.success(request, f"Форма отправлена: {item.organisation.short_name}."
                             if submit else "Комментарии сохранены.")  # fmt: skip
            return redirect("monitoring:return-detail", org_id=org.pk, form_id=item.pk)
    sent = submission.status == SubmissionStatus.SUBMITTED
    values = submission.values if sent else regional.school_values(
        [org.pk], item.year, timezone.localdate(), item.indicators)[org.pk]  # fmt: skip
    today = timezone.localdate()
    return render(request, "monitoring/return_detail.html", {
        "org": org, "item": item, "submission": submission, "sent": sent,
        "rows": [(regional.BY_CODE[c], values.get(c), submission.comments.get(c, ""))
                 for c in item.indicators],
        "overdue": today > item.deadline,
        "blocked": today > item.deadline and not item.allow_late
        and submission.status != SubmissionStatus.RETURNED,
    })  # fmt: skip
