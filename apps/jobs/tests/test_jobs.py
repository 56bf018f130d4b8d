"""Long jobs: queued, run with progress, failed with a message the person can act on, served
only under the kind's own page, and cleaned up after a day."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from apps.documents.archive import ARCHIVE_JOB
from apps.jobs import registry
from apps.jobs.models import Job, JobState
from apps.jobs.registry import JobRefused, Result
from apps.jobs.services import prune_jobs, run_job, start_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds():
    saved = dict(registry._KINDS)
    yield registry
    registry._KINDS.clear()
    registry._KINDS.update(saved)


def test_it_runs_a_job_with_progress_and_stores_its_file(school, curator, kinds):
    seen = []

    def build(*, job, progress):
        progress(1, 2, "первая половина")
        seen.append(Job.objects.get(pk=job.pk).state)
        progress(2, 2, "вторая")
        return Result("итог.txt", b"hello", "text/plain")

    kinds.register("test.ok", build)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_job(org=school, user=curator, kind_code="test.ok", title="Проба")
    job.refresh_from_db()
    assert (job.state, job.result_name, job.result.read(), seen) == (
        JobState.DONE, "итог.txt", b"hello", [JobState.RUNNING],
    )  # fmt: skip
    assert (job.done, job.total, job.percent) == (2, 2, 100)


def test_it_keeps_the_reason_a_job_was_refused(school, curator, kinds):
    def refuse(*, job, progress):
        raise JobRefused("Для PDF нужен LibreOffice на сервере.")

    kinds.register("test.refused", refuse)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_job(org=school, user=curator, kind_code="test.refused", title="Проба")
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "Для PDF нужен LibreOffice на сервере.")


def test_a_crash_becomes_a_failed_job_not_a_crashed_worker(school, curator, kinds):
    def crash(*, job, progress):
        raise ZeroDivisionError

    kinds.register("test.crash", crash)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_job(org=school, user=curator, kind_code="test.crash", title="Проба")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("Внутренняя ошибка: задание не выполнено.")


def test_a_job_runs_once_even_if_two_workers_pick_it(school, curator, kinds):
    runs = []
    kinds.register("test.once", lambda *, job, progress: runs.append(1) or Result("a", b"", ""))
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_job(org=school, user=curator, kind_code="test.once", title="Проба")
    run_job(str(job.pk))
    assert runs == [1]


def test_the_page_polls_until_the_job_ends_and_then_offers_the_file(curator_client, school):
    job = Job.objects.create(organisation=school, kind=ARCHIVE_JOB, title="Архив", total=4, done=1)
    url = reverse("documents:archive-job", args=[school.pk, job.pk])
    page = curator_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress class="job-progress" max="100" value="25"' in page
    fragment = curator_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')
    assert curator_client.get(url + "file/").status_code == 404  # not ready yet
    Job.objects.filter(pk=job.pk).update(state=JobState.DONE)
    assert 'hx-trigger="every 1s"' not in curator_client.get(url).content.decode()


def test_a_job_of_another_kind_or_school_is_404(curator_client, school, other_school):
    theirs = Job.objects.create(organisation=other_school, kind=ARCHIVE_JOB, title="Архив")
    report = Job.objects.create(organisation=school, kind="monitoring.report", title="Отчёт")
    for job in (theirs, report):
        url = reverse("documents:archive-job", args=[school.pk, job.pk])
        assert curator_client.get(url).status_code == 404


def test_it_removes_jobs_and_files_older_than_a_day(school):
    job = Job.objects.create(organisation=school, kind=ARCHIVE_JOB, title="Архив")
    job.result.save("old.zip", ContentFile(b"x"))
    path = job.result.name
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    fresh = Job.objects.create(organisation=school, kind=ARCHIVE_JOB, title="Новый",
                               finished_at=timezone.now())  # fmt: skip
    assert prune_jobs() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not job.result.storage.exists(path)
