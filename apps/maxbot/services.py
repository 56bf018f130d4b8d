"""Linking a MAX account, handling the bot's updates, quick actions from its buttons."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.maxbot import bot
from apps.maxbot.api import MaxApi, MaxError
from apps.maxbot.models import LinkCode, MaxLink, ProcessedUpdate
from apps.programs.models import PENDING, Task, TaskStatus
from apps.programs.programme import participant_units, set_task_status

log = logging.getLogger(__name__)

# No 0/O, 1/I/L: the code is read off a screen and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Wrong codes a MAX user may send in a row before the bot stops checking for a while.
MAX_WRONG_CODES = 5
WRONG_CODES_WINDOW = 15 * 60
UNLINK_COMMANDS = ("/stop", "/unlink", "отключить", "стоп")
TASK_DONE = "task_done"

WELCOME = (
    "Здравствуйте! Это бот системы «Наставник». Чтобы получать сюда уведомления, откройте в "
    "«Наставнике» свой профиль → «Уведомления в MAX», нажмите «Получить код» и отправьте код "
    "сюда одним сообщением."
)
HELP = (
    "Отправьте код со страницы «Уведомления в MAX» в «Наставнике», чтобы подключить "
    "уведомления. Отключить их: /stop."
)


@dataclass(frozen=True)
class Reply:
    """What the bot answers: a message to a user's dialog, or an answer to a button press."""

    user_id: int
    text: str
    callback_id: str = ""


# --- codes and links ------------------------------------------------------------------------


def code_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, normalize_code(code).encode("utf-8"), hashlib.sha256).hexdigest()


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch not in " -\t\n")


def looks_like_code(text: str) -> bool:
    value = normalize_code(text)
    return len(value) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in value)


@transaction.atomic
def issue_link_code(*, user) -> tuple[str, datetime.datetime]:
    """A new one-time code for `user` (any earlier unused code stops working).

    Side effects: deletes the user's earlier codes, stores the new code's hash only.
    """
    LinkCode.objects.filter(user=user).delete()
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = timezone.now() + datetime.timedelta(minutes=settings.MAX_LINK_CODE_MINUTES)
    LinkCode.objects.create(user=user, code_hash=code_hash(raw), expires_at=expires)
    return f"{raw[:4]}-{raw[4:]}", expires


@transaction.atomic
def link_by_code(*, max_user_id: int, code: str):
    """The user whose valid code this is, now linked to `max_user_id`; None for a wrong code.

    Side effects: marks the code used; replaces the user's earlier link and any link of this MAX
    account to someone else (one MAX account, one person).
    """
    found = (
        LinkCode.objects.select_for_update()
        .select_related("user")
        .filter(code_hash=code_hash(code), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    MaxLink.objects.filter(max_user_id=max_user_id).exclude(user=found.user).delete()
    MaxLink.objects.update_or_create(
        user=found.user, defaults={"max_user_id": max_user_id, "blocked_at": None}
    )
    return found.user


def unlink(*, user) -> bool:
    """Side effects: deletes the user's link and open codes; nothing more is sent to MAX."""
    with transaction.atomic():
        LinkCode.objects.filter(user=user).delete()
        deleted, _ = MaxLink.objects.filter(user=user).delete()
    return bool(deleted)


def mark_blocked(*, max_user_id: int) -> None:
    """MAX answered 403 or sent `bot_stopped`: stop sending until the user presses «Начать»."""
    MaxLink.objects.filter(max_user_id=max_user_id, blocked_at__isnull=True).update(
        blocked_at=timezone.now()
    )


# --- updates --------------------------------------------------------------------------------


def update_key(update: dict[str, Any]) -> str:
    """A stable key of an update, so a replayed one (MAX retries a webhook) is seen again."""
    kind = str(update.get("update_type") or "")
    if kind == "message_created":
        mid = _dig(update, "message", "body", "mid")
        if mid:
            return f"msg:{mid}"[:200]
    if kind == "message_callback":
        callback_id = _dig(update, "callback", "callback_id")
        if callback_id:
            return f"cb:{callback_id}"[:200]
    user_id = _dig(update, "user", "user_id") or _dig(update, "message", "sender", "user_id")
    return f"{kind}:{update.get('timestamp')}:{user_id}"[:200]


def handle_update(update: dict[str, Any]) -> list[Reply]:
    """Act on one update once; a replay answers nothing and changes nothing.

    Side effects: records the update's key; links / unlinks / unblocks a MAX account; marks a
    task done (quick action). The replies are sent by the caller after the commit.
    """
    if not isinstance(update, dict):
        return []
    with transaction.atomic():
        _, created = ProcessedUpdate.objects.get_or_create(key=update_key(update))
        if not created:
            log.info("MAX update replayed, ignored: %s", update_key(update))
            return []
        return _handle(update)


def process(update: dict[str, Any], *, api: MaxApi | None = None) -> list[Reply]:
    """Handle an update and send the replies (webhook and long polling)."""
    replies = handle_update(update)
    if replies:
        send_replies(api or bot.api(), replies)
    return replies


def send_replies(api: MaxApi, replies: list[Reply]) -> None:
    for reply in replies:
        try:
            if reply.callback_id:
                api.answer_callback(reply.callback_id, notification=reply.text)
            else:
                api.send_message(user_id=reply.user_id, text=reply.text)
        except MaxError as error:
            log.warning("MAX reply to %s not sent: %s", reply.user_id, error.message)


def _handle(update: dict[str, Any]) -> list[Reply]:
    kind = update.get("update_type")
    if kind == "message_created":
        sender = _dig(update, "message", "sender", "user_id")
        text = _dig(update, "message", "body", "text")
        if isinstance(sender, int) and not _dig(update, "message", "sender", "is_bot"):
            return [Reply(sender, _on_text(sender, text if isinstance(text, str) else ""))]
    elif kind == "message_callback":
        user_id = _dig(update, "callback", "user", "user_id")
        callback_id = _dig(update, "callback", "callback_id")
        payload = _dig(update, "callback", "payload")
        if isinstance(user_id, int) and isinstance(callback_id, str):
            answer = on_callback(user_id, payload if isinstance(payload, str) else "")
            return [Reply(user_id, answer, callback_id=callback_id)]
    elif kind == "bot_started":
        user_id = _dig(update, "user", "user_id")
        if isinstance(user_id, int):
            MaxLink.objects.filter(max_user_id=user_id).update(blocked_at=None)
            return [Reply(user_id, WELCOME)]
    elif kind == "bot_stopped":
        user_id = _dig(update, "user", "user_id")
        if isinstance(user_id, int):
            mark_blocked(max_user_id=user_id)
    return []


def _on_text(max_user_id: int, text: str) -> str:
    command = text.strip().lower()
    if command == "/start":
        MaxLink.objects.filter(max_user_id=max_user_id).update(blocked_at=None)
        return WELCOME
    if command in UNLINK_COMMANDS:
        deleted, _ = MaxLink.objects.filter(max_user_id=max_user_id).delete()
        if deleted:
            return "Уведомления «Наставника» в MAX отключены. Подключить снова можно в профиле."
        return "Этот аккаунт MAX не подключён к «Наставнику»."
    if not looks_like_code(text):
        return HELP
    tries_key = f"maxbot:wrong-codes:{max_user_id}"
    if cache.get(tries_key, 0) >= MAX_WRONG_CODES:
        return "Слишком много неверных кодов. Подождите 15 минут и получите новый код в профиле."
    user = link_by_code(max_user_id=max_user_id, code=text)
    if user is None:
        cache.set(tries_key, cache.get(tries_key, 0) + 1, WRONG_CODES_WINDOW)
        return (
            "Код не подошёл: он неверный, уже использован или устарел. Получите новый код на "
            "странице «Уведомления в MAX» в «Наставнике»."
        )
    cache.delete(tries_key)
    return (
        "Готово: MAX подключён к «Наставнику». Сюда будут приходить уведомления с кнопками "
        "быстрых действий. Отключить: /stop или на странице профиля."
    )


# --- quick actions --------------------------------------------------------------------------


def on_callback(max_user_id: int, payload: str) -> str:
    """A callback button pressed: who it is is re-read now, and what they may do is re-checked."""
    link = MaxLink.objects.select_related("user").filter(max_user_id=max_user_id).first()
    if link is None or not link.user.is_active:
        return "Этот аккаунт MAX не подключён к «Наставнику» — ничего не изменено."
    action, _, argument = payload.partition(":")
    if action == TASK_DONE and argument.isdigit() and len(argument) <= 18:
        return complete_task(user=link.user, task_id=int(argument))
    return "Эта кнопка больше не работает — ничего не изменено. Откройте «Наставник»."


def complete_task(*, user, task_id: int) -> str:
    """«Задача выполнена»: the same rule as the task page (the unit's mentor, co-mentor or the
    task's responsible person), checked at the moment of the click.

    Side effects: marks the task done through `programs.programme.set_task_status`.
    """
    person = getattr(user, "person", None)
    task = (
        Task.objects.select_related("programme__unit")
        .filter(pk=task_id, programme__unit__in=participant_units(user))
        .first()
    )
    if task is None or person is None:
        return (
            "Эта задача вам больше не доступна — ничего не изменено. Откройте «Наставник», "
            "чтобы посмотреть свои задачи."
        )
    unit = task.programme.unit
    if person.pk not in (unit.mentor_id, unit.co_mentor_id, task.responsible_id):
        return "Отметить эту задачу может наставник или ответственный — ничего не изменено."
    if task.status == TaskStatus.DONE:
        return f"Задача «{task.title}» уже отмечена выполненной."
    if task.status not in PENDING:
        return (
            f"У задачи «{task.title}» уже статус «{task.get_status_display()}» — ничего не "
            "изменено."
        )
    set_task_status(task=task, status=TaskStatus.DONE)
    return f"Готово: задача «{task.title}» отмечена выполненной."


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
