"""Run the periodic jobs of settings.PERIODIC_JOBS until stopped (Ctrl+C / SIGTERM)."""

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.plural import count
from apps.ops.scheduler import ScheduleError, add_jobs, parse_jobs, run_job


class Command(BaseCommand):
    help = "Регламентные задания по расписанию PERIODIC_JOBS (напоминания, сводки, обезличивание)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="показать расписание и выйти, ничего не запуская"
        )
        parser.add_argument(
            "--run-now", action="store_true", help="сразу выполнить каждое задание один раз"
        )

    def handle(self, *args, list=False, run_now=False, **options):
        try:
            jobs, skipped = parse_jobs(settings.PERIODIC_JOBS, timezone=settings.TIME_ZONE)
        except ScheduleError as exc:
            raise CommandError(str(exc)) from exc
        for name in skipped:
            self.stderr.write(f"Задание «{name}» пропущено: такой команды нет в этой установке.")
        for job in jobs:
            self.stdout.write(f"{job.cron:<16} {job.command}")
        if list:
            return
        if run_now:
            for job in jobs:
                run_job(job.command)
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        add_jobs(scheduler, jobs)
        jobs_text = count(len(jobs), "задание", "задания", "заданий")
        self.stdout.write(f"Расписание запущено: {jobs_text}. Остановить — Ctrl+C.")
        self.stdout.flush()
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
