"""Daily (cron or a scheduler): start-of-programme surveys for running units, end-of-programme
surveys for units ending within two weeks. Safe to run repeatedly."""

from django.core.management.base import BaseCommand

from apps.monitoring.feedback import launch_due


class Command(BaseCommand):
    help = "Разослать анкеты мониторинга (начало и завершение программ) по парам."

    def handle(self, *args, **options):
        count = launch_due()
        self.stdout.write(f"Разослано комплектов анкет: {count}")
