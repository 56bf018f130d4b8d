"""Start, run and clean up long jobs."""

from __future__ import annotations

import datetime
import logging

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from apps.jobs.models import Job, JobState
from apps.jobs.registry import JobRefused, kind

log = logging.getLogger(__name__)

# How long a result stays downloadable: archives and reports hold personal data, so they are not
# kept longer than the person needs to fetch them (a new job builds a fresh one).
RESULT_HOURS = 24


def start_job(*, org, user, kind_code: str, title: str, params: dict | None = None) -> Job:
    """Queue a job of a registered kind for `org`.

    Side effects: a Job row; after commit a background task runs it (`manage.py db_worker`;
    at once where tasks run immediately, as in the tests).
    """
    kind(kind_code)  # an unknown kind is a programming error: fail here, not in the worker
    job = Job.objects.create(
        organisation=org, requested_by=user, kind=kind_code, title=title[:300],
        params=params or {},
    )  # fmt: skip
    transaction.on_commit(lambda: run_job_task.enqueue(str(job.pk)))
    return job


def run_job(job_id: str) -> None:
    """Run a queued job to its end; a failure is stored on the job, never raised."""
    job = Job.objects.filter(pk=job_id, state=JobState.QUEUED).first()
    if job is None:
        return  # already run by another worker, or cleaned up
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    last = [0.0]

    def progress(done: int, total: int, stage: str = "") -> None:
        now = timezone.now().timestamp()
        if now - last[0] < 0.5 and done < total:
            return  # the page polls once a second: fewer writes are enough
        last[0] = now
        Job.objects.filter(pk=job.pk).update(done=done, total=total, stage=stage[:300])

    try:
        result = kind(job.kind).runner()(job=job, progress=progress)
    except JobRefused as refusal:
        _finish(job, state=JobState.FAILED, error=str(refusal))
        return
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, state=JobState.FAILED, error="Внутренняя ошибка: задание не выполнено. "
                "Попробуйте ещё раз; если повторится — сообщите администратору.")  # fmt: skip
        return
    content = result.content
    body = ContentFile(content) if isinstance(content, bytes) else File(content)
    job.result.save(f"{job.pk}{_suffix(result.filename)}", body, save=False)
    if not isinstance(content, bytes):
        content.close()
    job.result_name, job.content_type = result.filename[:300], result.content_type
    _finish(job, state=JobState.DONE)


@task()
def run_job_task(job_id: str) -> None:
    """The background task (`manage.py db_worker`) that runs one job."""
    run_job(job_id)


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[1] if "." in filename else ""


def _finish(job: Job, *, state: str, error: str = "") -> None:
    job.state, job.error, job.finished_at = state, error, timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "result", "result_name",
                            "content_type"])  # fmt: skip


def prune_jobs(*, now: datetime.datetime | None = None) -> int:
    """Delete jobs (and their result files) finished more than RESULT_HOURS ago.

    Side effects: rows and files removed.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=RESULT_HOURS)
    old = list(Job.objects.filter(finished_at__lt=cutoff))
    for job in old:
        if job.result:
            job.result.delete(save=False)
        job.delete()
    return len(old)
