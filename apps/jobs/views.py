"""The page of one long job and its result file. Not routed here: the app that owns a kind routes
them under its own permission (e.g. documents: `documents.view`), so the declaration on each URL
says who may follow the job — these helpers only render and serve."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from apps.jobs.models import Job, JobState


def job_for(org, job_id, kind_code: str) -> Job:
    return get_object_or_404(Job.objects.of(org), pk=job_id, kind=kind_code)


def job_page(request, org, job_id, *, kind_code: str, file_url: str, back_url: str, back: str):
    """The job's progress; the fragment re-polls itself once a second until the job ends."""
    job = job_for(org, job_id, kind_code)
    context = {"org": org, "job": job, "file_url": file_url, "back_url": back_url, "back": back}
    template = "jobs/job.html#progress" if request.htmx else "jobs/job.html"
    return render(request, template, context)


def job_file(org, job_id, *, kind_code: str):
    job = job_for(org, job_id, kind_code)
    if job.state != JobState.DONE or not job.result:
        raise Http404
    return FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name,
        content_type=job.content_type or "application/octet-stream",
    )  # fmt: skip
