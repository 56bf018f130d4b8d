"""Periodic: today's reminders, waiting deliveries (quiet hours, retries) and daily digests."""

from django.core.management.base import BaseCommand

from apps.notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Напоминания на сегодня, отложенные доставки, дневные сводки (повтор безопасен)."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in sent.items()))
