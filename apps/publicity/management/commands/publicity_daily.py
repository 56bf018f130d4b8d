from django.core.management.base import BaseCommand

from apps.orgs.models import Organisation
from apps.publicity.delivery import due_retries
from apps.publicity.services import propose_drafts, withdraw_for_expired_consents


class Command(BaseCommand):
    help = (
        "Daily (or hourly) job of information support: propose news drafts for ended events and "
        "signed orders in every school, send the social copies whose retry time has come, and "
        "take down news naming people whose distribution consent has expired."
    )

    def handle(self, *args, **options):
        proposed = sum(propose_drafts(school) for school in Organisation.objects.schools())
        retried = due_retries()
        expired = withdraw_for_expired_consents()
        self.stdout.write(
            f"Предложено черновиков: {proposed}; повторных отправок: {retried}. "
            f"Снято новостей (истёк срок согласия на распространение): {expired}."
        )
