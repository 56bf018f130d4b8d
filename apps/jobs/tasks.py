from django_tasks import task

from apps.jobs.services import run_job


@task()
def run_job_task(job_id: str) -> None:
    run_job(job_id)
