"""Recompute the monitoring dashboards of municipalities and regions (run by cron or a
scheduler every few minutes; with MONITORING_CACHE_SECONDS=0 there is nothing to keep)."""

from django.core.management.base import BaseCommand

from apps.core.years import academic_year
from apps.monitoring.queries import recompute
from apps.orgs.choices import OrgKind
from apps.orgs.models import Organisation


class Command(BaseCommand):
    help = "Пересчитать показатели мониторинга муниципалитетов и регионов."

    def handle(self, *args, **options):
        year = academic_year()
        orgs = Organisation.objects.exclude(kind=OrgKind.SCHOOL)
        for org in orgs:
            recompute(org, year, "")  # skipped where a recompute is already running
        self.stdout.write(f"Пересчитано организаций: {orgs.count()}")
