"""Subscribe the bot's webhook: `manage.py max_webhook https://school.example/max/webhook/`.

MAX then posts every update there with MAX_WEBHOOK_SECRET in `X-Max-Bot-Api-Secret`;
`--delete` removes the subscription (long polling works again).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.maxbot import bot
from apps.maxbot.api import MaxError
from apps.maxbot.management.commands.max_poll import UPDATE_TYPES


class Command(BaseCommand):
    help = "Подписать вебхук бота MAX (POST /subscriptions) или снять подписку (--delete)."

    def add_arguments(self, parser):
        parser.add_argument("url", help="адрес https://…/max/webhook/ этой системы")
        parser.add_argument("--delete", action="store_true", help="снять подписку")

    def handle(self, *args, url: str, delete: bool, **options):
        if not bot.configured():
            raise CommandError("MAX не настроен: задайте MAX_BOT_TOKEN.")
        secret = settings.MAX_WEBHOOK_SECRET
        if not delete and len(secret) < 5:
            raise CommandError("Задайте MAX_WEBHOOK_SECRET (от 5 символов: A-Z a-z 0-9 _ -).")
        try:
            if delete:
                bot.api().unsubscribe(url)
            else:
                bot.api().subscribe(url, secret=secret, update_types=UPDATE_TYPES)
        except MaxError as error:
            raise CommandError(error.message) from error
        self.stdout.write("Подписка снята." if delete else f"Вебхук подписан: {url}")
