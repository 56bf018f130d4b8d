"""MAX as a channel of the notification centre (`apps.notifications.channels`).

A notification becomes one MAX message: title, text and link, cut to MAX's 4000 characters with
the link kept. Its quick actions become buttons: a link button opens the page (which checks
access as always); «Задача выполнена» — an action whose address is the task's status page —
becomes a callback button, handled by the bot without opening the browser
(`services.complete_task`, which re-checks the permission at the click).

Outcomes for the notification centre: over a rate limit, a 429, a timeout or a MAX outage →
`DeliveryError` (tried again later, nothing dropped); no link (the person unlinked MAX) or a 403
(the person stopped the bot; the link is marked blocked) → `PermanentDeliveryError`. A message
whose key was already delivered is not sent again.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from apps.maxbot import bot
from apps.maxbot.api import Button, MaxBlocked, MaxError, fit_text
from apps.maxbot.models import MaxLink, SentMessage
from apps.maxbot.services import TASK_DONE, mark_blocked
from apps.notifications.channels import DeliveryError, Message, PermanentDeliveryError

log = logging.getLogger(__name__)

# Pages whose action is done right in MAX by a callback button: URL name → payload prefix.
CALLBACK_ACTIONS = {"programs:my-task-status": (TASK_DONE, "task_id")}
MEETING_HELD = "Встреча состоялась"


class MaxChannel:
    code = "max"
    label = "MAX"

    def available_for(self, user) -> bool:
        if not bot.configured() or user is None or not getattr(user, "pk", None):
            return False
        return MaxLink.objects.filter(user_id=user.pk, blocked_at__isnull=True).exists()

    def send(self, message: Message) -> None:
        if not bot.configured():
            raise PermanentDeliveryError("MAX не настроен: нет MAX_BOT_TOKEN.")
        link = MaxLink.objects.filter(user_id=message.recipient_id).first()
        if link is None:
            raise PermanentDeliveryError("MAX не подключён: человек отключил бота в профиле.")
        if link.blocked_at is not None:
            raise PermanentDeliveryError("Человек остановил бота MAX — сообщения не доставляются.")
        if message.key and SentMessage.objects.filter(key=message.key).exists():
            return  # delivered before (a retry after a lost answer): not twice
        text = fit_text(message.title, message.text, message.url)
        buttons = [button_for(label, url) for label, url in message.actions]
        try:
            sent = bot.api().send_message(user_id=link.max_user_id, text=text, buttons=buttons)
        except MaxBlocked as error:
            mark_blocked(max_user_id=link.max_user_id)
            raise PermanentDeliveryError(error.message) from error
        except MaxError as error:
            if error.retryable or error.status == 401:  # a fixed token makes a retry work
                delivery_error = DeliveryError(error.message)
                delivery_error.retry_after = error.retry_after
                raise delivery_error from error
            raise PermanentDeliveryError(error.message) from error
        if message.key:
            mid = str((sent.get("body") or {}).get("mid") or "")
            SentMessage.objects.get_or_create(key=message.key[:200], defaults={"mid": mid})


def button_for(label: str, url: str) -> Button:
    """A callback button for actions done in MAX itself, a link button for the rest."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return Button(label, url=url)
    action = CALLBACK_ACTIONS.get(match.view_name)
    if action is not None:
        prefix, kwarg = action
        return Button(label, payload=f"{prefix}:{match.kwargs[kwarg]}")
    if match.view_name == "programs:my-unit" and label == MEETING_HELD and "#" not in url:
        url += "#record-meeting"  # straight to the diary form, dated today
    return Button(label, url=url)
