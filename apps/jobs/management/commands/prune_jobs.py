from django.core.management.base import BaseCommand

from apps.core.plural import count
from apps.jobs.services import RESULT_HOURS, prune_jobs


class Command(BaseCommand):
    help = f"Удалить фоновые задания и их файлы старше {RESULT_HOURS} часов."

    def handle(self, *args, **options):
        removed = prune_jobs()
        self.stdout.write(f"Удалено: {count(removed, 'задание', 'задания', 'заданий')}.")
