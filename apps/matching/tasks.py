"""Background computation of a matching run above a school's size (`manage.py db_worker`).

The request stores the run with its inputs (job «queued») and enqueues `solve_run`; the
worker claims it (one worker per run: a conditional UPDATE), reports progress in percent
on the run, and stores the result. The run page polls the progress with HTMX.
"""

import logging
import time

from django.db import transaction
from django_tasks import task

from apps.matching.core.model import ProblemError
from apps.matching.models import JobState, MatchingRun, RunScope

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


@task()
def solve_run(run_id: int) -> None:
    from apps.matching.services import problem_of, store_result

    claimed = MatchingRun.objects.filter(pk=run_id, job=JobState.QUEUED).update(
        job=JobState.RUNNING, progress=1
    )
    if not claimed:
        return  # another worker has it, or it is done
    run = MatchingRun.objects.get(pk=run_id)
    last = [0.0]

    def progress(share: float) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            value = max(1, min(99, round(share * 100)))
            MatchingRun.objects.filter(pk=run_id).update(progress=value)

    try:
        from apps.matching.pipeline import compute

        data = compute(
            problem_of(run), keep_candidates=run.scope == RunScope.SCHOOL, progress=progress
        )
    except ProblemError as error:
        MatchingRun.objects.filter(pk=run_id).update(
            job=JobState.FAILED, job_error=" ".join(error.messages)
        )
        return
    except Exception:
        log.exception("matching run %s failed", run_id)
        MatchingRun.objects.filter(pk=run_id).update(
            job=JobState.FAILED,
            job_error="Расчёт прервался из-за внутренней ошибки. Запустите подбор заново.",
        )
        raise
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(pk=run_id)
        store_result(run, data)
        run.job, run.progress, run.job_error = JobState.READY, 100, ""
        run.save()
