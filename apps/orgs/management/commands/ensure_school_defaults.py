"""Give every existing school the defaults a new school gets on creation (dictionaries,
Положение limits, programme templates). Idempotent: run after an upgrade; what a school has
edited stays as it is. (A year's roadmap is not a default: a school sees the default plan
until its first edit saves it.)"""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.orgs.models import Organisation
from apps.orgs.signals import school_created


class Command(BaseCommand):
    help = "Создать недостающие типовые словари, настройки и шаблоны программ для всех школ."

    def handle(self, *args, **options):
        schools = Organisation.objects.schools().order_by("pk")
        for school in schools:
            with transaction.atomic():
                school_created.send(sender=Organisation, school=school)
        self.stdout.write(f"Проверено школ: {schools.count()}")
