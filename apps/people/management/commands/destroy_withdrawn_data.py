import datetime

from django.core.management.base import BaseCommand

from apps.people.consents import destroy_withdrawn_data


class Command(BaseCommand):
    help = (
        "Anonymise personal data of people whose processing consent was withdrawn more than "
        "CONSENT_DESTRUCTION_DAYS ago and record an act for each. Run daily (cron/systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        acts = destroy_withdrawn_data(today=today)
        for act in acts:
            self.stdout.write(f"Акт № {act.number}: {act.subject_label} ({act.organisation})")
        self.stdout.write(f"Обезличено: {len(acts)}")
