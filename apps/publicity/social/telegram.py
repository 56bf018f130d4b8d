"""Telegram: a channel message through the Bot API.

No photos → `sendMessage`; one photo → `sendPhoto` with a caption; several → one
`sendMediaGroup` album (up to 10 photos) with the caption on the first photo. Text is HTML:
the title in bold, the body and the link, escaped. Captions are cut to Telegram's 1024 visible
characters (messages to 4096) with «…», keeping the title and the link.

Errors come as `{"ok": false, "error_code", "description", "parameters": {"retry_after"}}`
with the same HTTP status.
"""

from __future__ import annotations

import html
import json
from typing import Any

import httpx

from apps.publicity.social.base import (
    Credentials,
    Outgoing,
    Photo,
    Published,
    SocialError,
    raise_for_status,
    send,
)

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
ALBUM_LIMIT = 10
ELLIPSIS = "…"
SEPARATOR = "\n\n"


class TelegramConnector:
    network = "telegram"
    label = "Telegram"
    target_label = "Канал (@имя) или chat_id"
    extra_fields: tuple[tuple[str, str], ...] = ()

    def publish(
        self, creds: Credentials, post: Outgoing, *, base_url: str, client: httpx.Client
    ) -> Published:
        chat_id = normalize_chat(creds.target)
        api = _Api(client, f"{base_url.rstrip('/')}/bot{creds.token.strip()}")
        photos = post.photos[:ALBUM_LIMIT]
        if not photos:
            message = api.call(
                "sendMessage",
                data={
                    "chat_id": chat_id,
                    "text": compose_html(post, MESSAGE_LIMIT),
                    "parse_mode": "HTML",
                },
            )
        elif len(photos) == 1:
            message = _send_photo(api, chat_id, post, photos[0])
        else:
            message = _send_album(api, chat_id, post, photos)
        message_id = _message_id(message)
        return Published(remote_id=str(message_id), url=message_url(chat_id, message_id))


def normalize_chat(target: str) -> str:
    """`@name` for public channels (also from a t.me address), numeric chat ids as they are."""
    value = target.strip()
    for prefix in ("https://t.me/", "http://t.me/", "t.me/"):
        if value.startswith(prefix):
            value = "@" + value.removeprefix(prefix).strip("/")
    if not value:
        raise SocialError("Telegram: не указан канал (@имя или chat_id).", retryable=False)
    if value.startswith("@") or value.lstrip("-").isdigit():
        return value
    return f"@{value}"


def message_url(chat_id: str, message_id: int | str) -> str:
    if chat_id.startswith("@"):
        return f"https://t.me/{chat_id[1:]}/{message_id}"
    return ""


def compose_html(post: Outgoing, limit: int) -> str:
    """Title in bold, body and link, with the body (then the title) cut to `limit`."""
    title, body, link = post.title.strip(), post.text.strip(), post.link.strip()
    title, body = _fit(title, body, link, limit)
    parts = [f"<b>{_escape(title)}</b>" if title else "", _escape(body), _escape(link)]
    return SEPARATOR.join(part for part in parts if part)


def utf16_len(text: str) -> int:
    """Telegram counts lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _visible_len(*parts: str) -> int:
    present = [part for part in parts if part]
    return sum(utf16_len(part) for part in present) + utf16_len(SEPARATOR) * (len(present) - 1)


def _fit(title: str, body: str, link: str, limit: int) -> tuple[str, str]:
    if _visible_len(title, body, link) <= limit:
        return title, body
    room = limit - _visible_len(title, "x", link) + 1  # what a body can take with its separator
    if room > utf16_len(ELLIPSIS):
        return title, _truncate(body, room)
    room = limit - _visible_len("x", link) + 1
    return _truncate(title, max(room, 0)), ""


def _truncate(text: str, room: int) -> str:
    """`text` cut to `room` UTF-16 units including the ellipsis, at a word end when near."""
    if utf16_len(text) <= room:
        return text
    budget = room - utf16_len(ELLIPSIS)
    if budget <= 0:
        return ""
    kept: list[str] = []
    used = 0
    for char in text:
        used += utf16_len(char)
        if used > budget:
            break
        kept.append(char)
    cut = "".join(kept)
    word_end = cut.rstrip().rfind(" ")
    if word_end > len(cut) * 0.8:
        cut = cut[:word_end]
    return cut.rstrip(" \n,.;:—-") + ELLIPSIS


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _send_photo(api: _Api, chat_id: str, post: Outgoing, photo: Photo) -> Any:
    return api.call(
        "sendPhoto",
        data={
            "chat_id": chat_id,
            "caption": compose_html(post, CAPTION_LIMIT),
            "parse_mode": "HTML",
        },
        files=[("photo", (photo.filename, photo.content, photo.mime))],
    )


def _send_album(api: _Api, chat_id: str, post: Outgoing, photos: tuple[Photo, ...]) -> Any:
    media: list[dict[str, str]] = []
    files = []
    for number, photo in enumerate(photos):
        name = f"photo{number}"
        item = {"type": "photo", "media": f"attach://{name}"}
        if number == 0:
            item |= {"caption": compose_html(post, CAPTION_LIMIT), "parse_mode": "HTML"}
        media.append(item)
        files.append((name, (photo.filename, photo.content, photo.mime)))
    data = {"chat_id": chat_id, "media": json.dumps(media, ensure_ascii=False)}
    return api.call("sendMediaGroup", data=data, files=files)


def _message_id(result: Any) -> int | str:
    message = result[0] if isinstance(result, list) and result else result
    if not isinstance(message, dict) or "message_id" not in message:
        raise _unexpected()
    return message["message_id"]


class _Api:
    def __init__(self, client: httpx.Client, bot_url: str):
        self.client = client
        self.bot_url = bot_url

    def call(
        self,
        method: str,
        *,
        data: dict[str, str],
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> Any:
        url = f"{self.bot_url}/{method}"
        response = send(self.client, url, name="Telegram", data=data, files=files,
                        check_status=False)  # fmt: skip
        return _result(response)


def _result(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("ok") is True and "result" in body:
        return body["result"]
    if isinstance(body, dict) and body.get("ok") is False:
        raise _api_error(response.status_code, body)
    raise_for_status(response, "Telegram")
    raise _unexpected()


def _api_error(status: int, body: dict[str, Any]) -> SocialError:
    code = body.get("error_code") if isinstance(body.get("error_code"), int) else status
    description = str(body.get("description") or "").strip()
    parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
    if code == 429 or "retry_after" in parameters:
        retry_after = parameters.get("retry_after")
        seconds = float(retry_after) if isinstance(retry_after, int | float) else None
        wait = f" Повтор через {int(seconds)} с." if seconds is not None else ""
        return SocialError(
            f"Telegram: слишком много сообщений (429).{wait}",
            retryable=True,
            retry_after=seconds,
        )
    if code >= 500:
        return SocialError(
            f"Telegram временно недоступен ({code}). Публикация будет повторена позже.",
            retryable=True,
        )
    return SocialError(_refusal_message(code, description, parameters), retryable=False)


def _refusal_message(code: int, description: str, parameters: dict[str, Any]) -> str:
    lowered = description.lower()
    if code in (401, 404):
        return (
            f"Telegram: токен бота недействителен или отозван ({code} {description}). "
            "Получите новый токен у @BotFather и сохраните его здесь."
        )
    if code == 403:
        return (
            "Telegram: бот не может писать в канал — добавьте его администратором с правом "
            f"публикации сообщений ({code} {description})."
        )
    if "chat not found" in lowered:
        return (
            f"Telegram: канал не найден ({code} {description}). Проверьте @имя или chat_id "
            "и что бот добавлен в канал."
        )
    if "not enough rights" in lowered or "need administrator rights" in lowered:
        return (
            "Telegram: у бота нет права публиковать сообщения в канале — выдайте его в "
            f"настройках администраторов ({code} {description})."
        )
    if "migrate_to_chat_id" in parameters:
        return (
            "Telegram: группа стала супергруппой, укажите новый chat_id "
            f"{parameters['migrate_to_chat_id']} ({code})."
        )
    return f"Telegram отклонил сообщение ({code} {description or 'без описания'})."


def _unexpected() -> SocialError:
    return SocialError(
        "Telegram вернул неожиданный ответ. Публикация будет повторена позже.", retryable=True
    )
