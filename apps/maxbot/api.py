"""A small client of the MAX Bot API (https://platform-api2.max.ru, dev.max.ru/docs-api).

What we use of it:

- the bot token goes in the `Authorization` header (a token in the query is no longer accepted);
- `POST /messages?user_id=…` (a person's dialog with the bot) or `?chat_id=…` (a chat or a
  channel) with a JSON `NewMessageBody`: `text` up to 4000 characters, optional `format`
  ("markdown" | "html") and `attachments` — images (`{"type": "image", "payload": {"photos":
  …}}`) and one inline keyboard (`{"type": "inline_keyboard", "payload": {"buttons": rows}}`)
  of link buttons (open an address) and callback buttons (the bot receives `message_callback`);
- `POST /uploads?type=image` answers an upload `url`; the file goes there as multipart field
  `data` and the answer's `photos` is what the image attachment carries;
- `POST /answers?callback_id=…` answers a button press with a one-time `notification`;
- updates come by webhook (`POST /subscriptions` with `url`, `update_types` and a `secret` that
  MAX then sends in the `X-Max-Bot-Api-Secret` header) or by long polling `GET /updates` with a
  `marker`;
- errors are `{"code": "…", "message": "…"}` with the HTTP status: 401 a bad token, 403 the user
  blocked the bot (or the bot may not write to the chat), 404 no such chat, 429 too many
  requests, 5xx the platform is down.

Limits (about 30 requests/s per bot, 2 messages/s per chat) are kept by a `RateLimiter` shared by
every `MaxApi` of the process: a short wait is waited out, a longer one raises `MaxRateLimited`
so the message is deferred (sent later), never dropped.

Pure module: httpx only, no Django, so the publicity connector and the stub use it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from apps.maxbot.ratelimit import RateLimiter

API_URL = "https://platform-api2.max.ru"
TEXT_LIMIT = 4000
BUTTON_TEXT_LIMIT = 128
PAYLOAD_LIMIT = 1024
ROWS_LIMIT = 30
ELLIPSIS = "…"
# Waiting longer than this inside a worker holds it up; the message is deferred instead.
MAX_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class Button:
    """A link button (`url`) or a callback button (`payload`)."""

    text: str
    url: str = ""
    payload: str = ""

    def as_json(self) -> dict[str, str]:
        text = _cut(self.text.strip(), BUTTON_TEXT_LIMIT)
        if self.url:
            return {"type": "link", "text": text, "url": self.url}
        return {"type": "callback", "text": text, "payload": self.payload[:PAYLOAD_LIMIT]}


class MaxError(Exception):
    """MAX refused or failed; `message` is Russian, for a person to read."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str = "",
        retryable: bool,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after


class MaxBlocked(MaxError):
    """403: the user stopped or blocked the bot, or the bot may not post to the chat."""


class MaxRateLimited(MaxError):
    """Over the limit (the platform's 429, or our own limiter): send again after `retry_after`."""


def fit_text(title: str, text: str, url: str, limit: int = TEXT_LIMIT) -> str:
    """Title, text and link in one message of at most `limit` characters.

    A longer text is cut at a word end with «…» and the link is always kept, so nothing is lost:
    the full text is one tap away. (One message, not several parts: a retry after a failed second
    part would send the first part twice.)
    """
    title, text, url = title.strip(), text.strip(), url.strip()
    parts = [p for p in (title, text, url) if p]
    whole = "\n\n".join(parts)
    if len(whole) <= limit:
        return whole
    tail = f"\n\nПолностью: {url}" if url else ""
    head = f"{title}\n\n" if title else ""
    room = limit - len(head) - len(tail)
    if room <= len(ELLIPSIS):
        return _cut(head + text, limit - len(tail)) + tail
    return head + _cut(text, room) + tail


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    cut = text[: max(room - len(ELLIPSIS), 0)]
    word_end = cut.rfind(" ")
    if word_end > len(cut) * 0.8:
        cut = cut[:word_end]
    return cut.rstrip(" \n,.;:—-") + ELLIPSIS


def keyboard(buttons: Iterable[Button]) -> dict[str, Any] | None:
    """One button per row (link buttons allow three a row; one reads best on a phone)."""
    rows = [[button.as_json()] for button in buttons][:ROWS_LIMIT]
    if not rows:
        return None
    return {"type": "inline_keyboard", "payload": {"buttons": rows}}


class MaxApi:
    def __init__(
        self,
        client: httpx.Client,
        *,
        token: str,
        base_url: str = API_URL,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_WAIT_SECONDS,
    ):
        self.client = client
        self.token = token.strip()
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter
        self.sleep = sleep
        self.max_wait = max_wait

    # --- sending -------------------------------------------------------------------------------

    def send_message(
        self,
        *,
        user_id: int | None = None,
        chat_id: int | None = None,
        text: str,
        buttons: Sequence[Button] = (),
        images: Sequence[dict[str, Any]] = (),
        text_format: str | None = None,
    ) -> dict[str, Any]:
        """Send one message to a user's dialog or a chat; returns MAX's `message` object."""
        if (user_id is None) == (chat_id is None):
            raise ValueError("Give exactly one of user_id and chat_id")
        params = {"user_id": str(user_id)} if user_id is not None else {"chat_id": str(chat_id)}
        attachments: list[dict[str, Any]] = [{"type": "image", "payload": p} for p in images]
        if board := keyboard(buttons):
            attachments.append(board)
        body: dict[str, Any] = {"text": text}
        if text_format:
            body["format"] = text_format
        if attachments:
            body["attachments"] = attachments
        chat = f"u{user_id}" if user_id is not None else f"c{chat_id}"
        answer = self._call("POST", "/messages", params=params, json=body, chat=chat)
        message = answer.get("message") if isinstance(answer, dict) else None
        if not isinstance(message, dict):
            raise _unexpected()
        return message

    def upload_image(self, filename: str, content: bytes, mime: str) -> dict[str, Any]:
        """Upload one image; returns the payload of an image attachment (`{"photos": …}`)."""
        answer = self._call("POST", "/uploads", params={"type": "image"})
        url = answer.get("url") if isinstance(answer, dict) else None
        if not isinstance(url, str) or not url:
            raise _unexpected()
        response = self._request(
            "POST", url, files={"data": (filename, content, mime)}, absolute=True
        )
        uploaded = _json(response)
        if isinstance(uploaded, dict) and isinstance(uploaded.get("photos"), dict):
            return {"photos": uploaded["photos"]}
        if isinstance(uploaded, dict) and isinstance(uploaded.get("token"), str):
            return {"token": uploaded["token"]}
        raise _unexpected()

    def answer_callback(self, callback_id: str, *, notification: str) -> None:
        self._call(
            "POST",
            "/answers",
            params={"callback_id": callback_id},
            json={"notification": _cut(notification, TEXT_LIMIT)},
            chat=f"cb{callback_id}",
        )

    # --- bot and updates -----------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        return self._call("GET", "/me")

    def subscribe(self, url: str, *, secret: str, update_types: Sequence[str]) -> None:
        body = {"url": url, "update_types": list(update_types), "secret": secret}
        self._call("POST", "/subscriptions", json=body)

    def unsubscribe(self, url: str) -> None:
        self._call("DELETE", "/subscriptions", params={"url": url})

    def subscriptions(self) -> list[dict[str, Any]]:
        answer = self._call("GET", "/subscriptions")
        return list(answer.get("subscriptions") or []) if isinstance(answer, dict) else []

    def updates(
        self,
        *,
        marker: int | None = None,
        timeout: int = 30,
        limit: int = 100,
        types: Sequence[str] = (),
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Long polling: the updates after `marker` and the marker to ask with next time."""
        params = {"timeout": str(timeout), "limit": str(limit)}
        if marker is not None:
            params["marker"] = str(marker)
        if types:
            params["types"] = ",".join(types)
        answer = self._call("GET", "/updates", params=params, read_timeout=timeout + 10)
        if not isinstance(answer, dict) or not isinstance(answer.get("updates"), list):
            raise _unexpected()
        next_marker = answer.get("marker")
        return answer["updates"], next_marker if isinstance(next_marker, int) else marker

    # --- plumbing ------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        chat: str | None = None,
        read_timeout: float | None = None,
    ) -> Any:
        return _json(
            self._request(method, path, params=params, json=json, chat=chat,
                          read_timeout=read_timeout)
        )  # fmt: skip

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        files: Any = None,
        chat: str | None = None,
        absolute: bool = False,
        read_timeout: float | None = None,
    ) -> httpx.Response:
        self._wait_turn(chat)
        url = path if absolute else f"{self.base_url}{path}"
        extra = {}
        if read_timeout is not None:
            extra["timeout"] = httpx.Timeout(10.0, read=read_timeout)
        try:
            response = self.client.request(
                method, url, params=params, json=json, files=files,
                headers={"Authorization": self.token}, **extra,
            )  # fmt: skip
        except httpx.TimeoutException as exc:
            raise MaxError("MAX: сервер не ответил вовремя.", retryable=True) from exc
        except httpx.TransportError as exc:
            raise MaxError("MAX: не удалось соединиться с сервером.", retryable=True) from exc
        if response.status_code >= 400:
            raise error_of(response)
        return response

    def _wait_turn(self, chat: str | None) -> None:
        if self.limiter is None:
            return
        wait = self.limiter.reserve(chat, max_wait=self.max_wait)
        if wait is None:
            retry = self.limiter.wait_for(chat)
            raise MaxRateLimited(
                "MAX: лимит сообщений в секунду, сообщение отправится чуть позже.",
                retryable=True,
                retry_after=max(retry, self.max_wait),
            )
        if wait > 0:
            self.sleep(wait)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise _unexpected() from None


def error_of(response: httpx.Response) -> MaxError:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code = str(body.get("code") or "")
    detail = str(body.get("message") or "").strip()
    said = f" ({status} {detail or code})".rstrip()
    if status == 429:
        header = response.headers.get("Retry-After", "")
        seconds = float(header) if header.replace(".", "", 1).isdigit() else None
        return MaxRateLimited(
            f"MAX: слишком много запросов{said}. Сообщение отправится позже.",
            status=status, code=code, retryable=True, retry_after=seconds,
        )  # fmt: skip
    if status >= 500:
        return MaxError(
            f"MAX временно недоступен{said}. Попытка будет повторена позже.",
            status=status, code=code, retryable=True,
        )  # fmt: skip
    if status == 401:
        return MaxError(
            f"MAX: токен бота недействителен или отозван{said}. Проверьте MAX_BOT_TOKEN.",
            status=status, code=code, retryable=False,
        )  # fmt: skip
    if status == 403:
        return MaxBlocked(
            f"MAX: бот не может писать сюда — пользователь остановил бота "
            f"или у бота нет прав{said}.",
            status=status, code=code, retryable=False,
        )  # fmt: skip
    if status == 404:
        return MaxError(
            f"MAX: чат не найден{said}. Проверьте chat_id и что бот добавлен в канал.",
            status=status, code=code, retryable=False,
        )  # fmt: skip
    return MaxError(f"MAX отклонил запрос{said}.", status=status, code=code, retryable=False)


def _unexpected() -> MaxError:
    return MaxError("MAX вернул неожиданный ответ. Попытка будет повторена позже.", retryable=True)
