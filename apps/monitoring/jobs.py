"""The year's report as a background job: at a municipality or a region it reads every school
below, which takes long enough to need a progress bar instead of a waiting browser tab."""

from django.utils import timezone

from apps.core.office import PdfUnavailable, to_pdf
from apps.jobs.registry import JobRefused, Result
from apps.monitoring.queries import COLUMNS, computed
from apps.monitoring.report import report_author, year_lists, yearly_report

REPORT_JOB = "monitoring.report"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_job(*, job, progress) -> Result:
    org, year, fmt = job.organisation, job.params["year"], job.params.get("format", "docx")
    progress(0, 3, "Считаем показатели")
    figures = computed(org, year, "")
    progress(1, 3, "Собираем документ и диаграммы")
    data = yearly_report(
        org=org, year=year, day=timezone.localdate(), author=report_author(job.requested_by, org),
        overall=figures["overall"], summary=figures["summary"], rows=figures["rows"],
        columns=COLUMNS, feedback=figures["feedback"], growth=figures["growth"],
        history=figures["history"], lists=year_lists(org, year),
    )  # fmt: skip
    name = f"Отчёт о наставничестве {org.short_name} {year.replace('/', '-')}"
    if fmt != "pdf":
        return Result(f"{name}.docx", data, DOCX)
    progress(2, 3, "Переводим в PDF")
    try:
        return Result(f"{name}.pdf", to_pdf(data), "application/pdf")
    except PdfUnavailable as error:
        raise JobRefused(str(error)) from error
