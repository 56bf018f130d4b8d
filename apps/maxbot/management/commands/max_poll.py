"""Long polling for installations without a public HTTPS address: `manage.py max_poll`.

Asks MAX for updates after the stored marker, handles each once (a replay is ignored by its
key) and stores the new marker. `--once` polls a single time (cron, tests).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.maxbot import bot
from apps.maxbot.api import MaxError
from apps.maxbot.models import PollState
from apps.maxbot.services import process

UPDATE_TYPES = ("message_created", "message_callback", "bot_started", "bot_stopped")


class Command(BaseCommand):
    help = "Получать события бота MAX длинным опросом (GET /updates), если нет вебхука."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="один запрос и выход")
        parser.add_argument("--timeout", type=int, default=30, help="секунд ждать событий")

    def handle(self, *args, once: bool, timeout: int, **options):
        if not bot.configured():
            raise CommandError("MAX не настроен: задайте MAX_BOT_TOKEN.")
        api = bot.api()
        state, _ = PollState.objects.get_or_create(pk=1)
        handled = 0
        while True:
            try:
                updates, marker = api.updates(
                    marker=state.marker, timeout=timeout, types=UPDATE_TYPES
                )
            except MaxError as error:
                if once or not error.retryable:
                    raise CommandError(error.message) from error
                self.stderr.write(error.message)
                time.sleep(error.retry_after or 5)
                continue
            for update in updates:
                process(update, api=api)
                handled += 1
            if marker != state.marker:
                state.marker = marker
                state.save(update_fields=["marker", "updated_at"])
            if once:
                break
        self.stdout.write(f"Обработано событий MAX: {handled}.")
