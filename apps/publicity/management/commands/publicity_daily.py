from django.core.management.base import BaseCommand

from apps.orgs.models import Organisation
from apps.publicity.delivery import due_retries
from apps.publicity.services import propose_drafts


class Command(BaseCommand):
    help = (
        "Daily (or hourly) job of information support: propose news drafts for ended events and "
        "signed orders in every school, and send the social copies whose retry time has come."
    )

    def handle(self, *args, **options):
        proposed = sum(propose_drafts(school) for school in Organisation.objects.schools())
        retried = due_retries()
        self.stdout.write(f"Предложено черновиков: {proposed}; повторных отправок: {retried}.")
