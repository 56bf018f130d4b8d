import logging

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.ops.scheduler import ScheduleError, add_jobs, parse_jobs, run_job


def test_it_reads_the_table_and_skips_commands_that_are_not_installed():
    jobs, skipped = parse_jobs(
        {"refresh_monitoring": "*/10 * * * *", "no_such_job": "* * * * *"},
        timezone="Europe/Moscow",
    )
    assert [(job.command, job.cron) for job in jobs] == [("refresh_monitoring", "*/10 * * * *")]
    assert skipped == ["no_such_job"]


def test_it_names_the_job_and_the_schedule_it_cannot_read():
    with pytest.raises(ScheduleError) as exc:
        parse_jobs({"refresh_monitoring": "every ten minutes"}, timezone="Europe/Moscow")
    assert "задание «refresh_monitoring»" in str(exc.value)
    assert "«every ten minutes» не в формате crontab" in str(exc.value)


def test_it_keeps_going_when_a_job_fails(db, caplog):
    def failing(command, **kwargs):
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="nastavnik.scheduler"):
        assert run_job("publicity_daily", call=failing) is False
    assert "periodic job publicity_daily failed" in caplog.text


def test_it_runs_a_real_command(db):
    calls = []

    def recording(command, **kwargs):
        calls.append(command)
        call_command(command, **kwargs)

    assert run_job("refresh_monitoring", call=recording) is True
    assert calls == ["refresh_monitoring"]


def test_it_never_stacks_a_slow_run_on_the_next_tick():
    jobs, _ = parse_jobs({"refresh_monitoring": "* * * * *"}, timezone="Europe/Moscow")
    scheduler = BackgroundScheduler(timezone="Europe/Moscow")
    add_jobs(scheduler, jobs)
    (job,) = scheduler.get_jobs()
    assert (job.id, job.max_instances, job.coalesce) == ("refresh_monitoring", 1, True)


def test_the_command_lists_the_schedule(settings, capsys):
    settings.PERIODIC_JOBS = {"refresh_monitoring": "*/10 * * * *"}
    call_command("run_scheduler", "--list")
    assert capsys.readouterr().out.split() == ["*/10", "*", "*", "*", "*", "refresh_monitoring"]


def test_the_command_refuses_a_broken_table(settings):
    settings.PERIODIC_JOBS = {"refresh_monitoring": "0 25 * * *"}
    with pytest.raises(CommandError, match="refresh_monitoring"):
        call_command("run_scheduler", "--list")
