"""A local stand-in for the MAX Bot API that checks requests the way the real one does.

Two ways to use it:

- in tests, `MaxStub().client()` is an `httpx.Client` on an `httpx.MockTransport`: nothing
  leaves the process (`apps/maxbot/tests/conftest.py::max_stub` wires it in);
- in the demo, `manage.py max_stub --port 8025` serves the same `MaxStub` over HTTP, with a page
  at `/_stub/` that shows what the bot "sent" and lets you write to the bot or press its buttons
  as a MAX user; those updates go to the webhook subscribed with `POST /subscriptions` (or wait
  for `GET /updates` when there is none).

Checked like MAX does: the token in the `Authorization` header (401 otherwise, also for a token
in the query), `user_id` / `chat_id` (exactly one, a number), the `NewMessageBody` (text up to
4000 characters, `format`, image tokens issued by our uploads, the inline keyboard: rows, buttons
a row, button types, text and payload lengths, http(s) links), about 30 requests a second and two
messages a second per chat (429 with `Retry-After`), users who blocked the bot (403), unknown
chats (404), one file per upload address, `POST /answers` only for a callback that happened, long
polling refused while a webhook is subscribed, the subscription's `secret` format.

Pure module: no Django (the management command and the tests bring it in).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

STUB_TOKEN = "stub-max-bot-token"  # noqa: S105 (the stub's own, public by design)
STUB_CHANNEL = -70000000000001  # the demo school's channel (chat_id) on the stub
STUB_FORBIDDEN_CHANNEL = -70000000000002  # the bot is not an administrator there
BOT = {"user_id": 9000001, "name": "Наставник (заглушка MAX)", "username": "nastavnik_stub_bot",
       "is_bot": True}  # fmt: skip
TEXT_LIMIT = 4000
FORMATS = ("markdown", "html")
UPDATE_TYPES = ("message_created", "message_callback", "bot_started", "bot_stopped")
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{5,256}")
FAIL_MODES = ("http_429", "server_error", "timeout")
WINDOW = 1.0


@dataclass
class StubCall:
    method: str
    path: str
    params: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 200
    response: Any = None


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, code: str, message: str, **headers: str) -> Reply:
    return Reply(status, {"code": code, "message": message}, headers)


class MaxStub:
    def __init__(
        self,
        *,
        token: str = STUB_TOKEN,
        root: str = "https://max.stub",
        per_second: int = 30,
        per_chat_per_second: int = 2,
        chats: tuple[int, ...] = (STUB_CHANNEL,),
        forbidden_chats: tuple[int, ...] = (STUB_FORBIDDEN_CHANNEL,),
        clock: Callable[[], float] = time.monotonic,
        push: Callable[[str, str, dict[str, Any]], None] | None = None,
    ):
        self.token = token
        self.root = root.rstrip("/")
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.chats = set(chats)
        self.forbidden_chats = set(forbidden_chats)
        self.clock = clock
        # How updates reach a subscribed webhook: push(url, secret, update). None: kept in
        # `pushed` (tests deliver them through Django's test client themselves).
        self.push = push
        self.lock = threading.RLock()
        self.transport = httpx.MockTransport(self.handle)
        self.reset()

    def reset(self) -> None:
        self.calls: list[StubCall] = []
        self.sent: list[dict[str, Any]] = []  # accepted messages, as MAX's Message objects
        self.answers: list[dict[str, Any]] = []  # accepted callback answers
        self.blocked: set[int] = set()
        self.subscriptions: list[dict[str, Any]] = []
        self.pushed: list[tuple[str, str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._failures: list[str] = []
        self._recent: deque[float] = deque()
        self._recent_chat: dict[str, deque[float]] = {}
        self._uploads: dict[str, bool] = {}  # upload id → used
        self._photo_tokens: set[str] = set()
        self._callbacks: dict[str, int] = {}  # callback id → user id
        self._counter = 0

    # --- control and inspection (tests, the demo page) ---------------------------------------

    def client(self) -> httpx.Client:
        return httpx.Client(transport=self.transport)

    def fail(self, mode: str, times: int = 1) -> None:
        """Serve `mode` instead of the answer to the next `times` API calls (not uploads)."""
        if mode not in FAIL_MODES:
            raise ValueError(f"Unknown failure mode: {mode!r}")
        self._failures.extend([mode] * times)

    def block(self, user_id: int) -> None:
        """The user pressed «Остановить бота»: sending to them answers 403."""
        self.blocked.add(int(user_id))

    def messages_to(self, *, user_id: int | None = None, chat_id: int | None = None) -> list:
        return [
            m for m in self.sent
            if (user_id is not None and m["recipient"].get("user_id") == user_id)
            or (chat_id is not None and m["recipient"].get("chat_id") == chat_id)
        ]  # fmt: skip

    def user_writes(self, user_id: int, text: str, *, name: str = "Пользователь MAX") -> dict:
        """A MAX user writes to the bot: a `message_created` update."""
        with self.lock:
            mid = f"mid.in.{self._next()}"
            update = {
                "update_type": "message_created",
                "timestamp": self._now_ms(),
                "message": {
                    "sender": {"user_id": int(user_id), "name": name, "is_bot": False},
                    "recipient": {"chat_id": self._dialog(user_id), "chat_type": "dialog"},
                    "timestamp": self._now_ms(),
                    "body": {"mid": mid, "seq": self._counter, "text": text},
                },
                "user_locale": "ru",
            }
            return self._emit(update)

    def user_presses(self, user_id: int, payload: str) -> dict:
        """A MAX user presses a callback button: a `message_callback` update."""
        with self.lock:
            callback_id = f"cb.{self._next()}"
            self._callbacks[callback_id] = int(user_id)
            update = {
                "update_type": "message_callback",
                "timestamp": self._now_ms(),
                "callback": {
                    "timestamp": self._now_ms(),
                    "callback_id": callback_id,
                    "payload": payload,
                    "user": {"user_id": int(user_id), "name": "Пользователь MAX"},
                },
                "user_locale": "ru",
            }
            return self._emit(update)

    def user_starts(self, user_id: int) -> dict:
        with self.lock:
            self.blocked.discard(int(user_id))
            update = {
                "update_type": "bot_started",
                "timestamp": self._now_ms(),
                "chat_id": self._dialog(user_id),
                "user": {"user_id": int(user_id), "name": "Пользователь MAX"},
            }
            return self._emit(update)

    def user_stops(self, user_id: int) -> dict:
        with self.lock:
            self.blocked.add(int(user_id))
            update = {
                "update_type": "bot_stopped",
                "timestamp": self._now_ms(),
                "chat_id": self._dialog(user_id),
                "user": {"user_id": int(user_id), "name": "Пользователь MAX"},
            }
            return self._emit(update)

    def _emit(self, update: dict[str, Any]) -> dict[str, Any]:
        subscription = self.subscriptions[-1] if self.subscriptions else None
        if subscription is None:
            self._updates.append(update)
        elif self.push is not None:
            self.push(subscription["url"], subscription.get("secret", ""), update)
        else:
            self.pushed.append((subscription["url"], subscription.get("secret", ""), update))
        return update

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    @staticmethod
    def _now_ms() -> int:
        return int(time.time() * 1000)

    @staticmethod
    def _dialog(user_id: int) -> int:
        return 500_000_000 + int(user_id)

    # --- HTTP ---------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The `MockTransport` handler."""
        if request.url.host != urlsplit(self.root).hostname:
            return httpx.Response(404, text="Not Found")
        params = dict(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True))
        headers = {k.lower(): v for k, v in request.headers.items()}
        mode = self._take_failure(request.url.path)
        if mode == "timeout":
            raise httpx.ReadTimeout("The stub did not answer in time", request=request)
        reply = self.dispatch(request.method, request.url.path, params, headers, request.read(),
                              failure=mode)  # fmt: skip
        return httpx.Response(
            reply.status,
            content=json.dumps(reply.body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8", **reply.headers},
        )

    def _take_failure(self, path: str) -> str:
        with self.lock:
            if path.startswith("/_upload/") or not self._failures:
                return ""
            return self._failures.pop(0)

    def dispatch(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        *,
        failure: str = "",
    ) -> Reply:
        """Answer one request (shared by the mock transport and the demo HTTP server)."""
        with self.lock:
            call = StubCall(method, path, params, None, headers)
            self.calls.append(call)
            reply = self._dispatch(call, body, failure)
            call.status, call.response = reply.status, reply.body
            return reply

    def _dispatch(self, call: StubCall, body: bytes, failure: str) -> Reply:
        if failure == "http_429":
            return _error(429, "too.many.requests", "Too many requests", **{"Retry-After": "2"})
        if failure == "server_error":
            return _error(503, "internal.error", "Service unavailable")
        if "access_token" in call.params:
            return _error(
                401,
                "verify.token",
                "Token in query parameters is no longer supported, use Authorization",
            )
        if call.headers.get("authorization", "") != self.token:
            return _error(401, "verify.token", "Invalid access_token")
        if call.path.startswith("/_upload/"):
            return self._upload(call, body)
        if not self._within_global_limit():
            return _error(429, "too.many.requests", "Too many requests", **{"Retry-After": "1"})
        if call.headers.get("content-type", "").startswith("application/json") and body:
            try:
                call.json = json.loads(body)
            except ValueError:
                return _error(400, "proto.payload", "Invalid JSON")
        route = {
            ("GET", "/me"): self._me,
            ("POST", "/messages"): self._send,
            ("POST", "/uploads"): self._upload_url,
            ("POST", "/answers"): self._answer,
            ("GET", "/updates"): self._poll,
            ("GET", "/subscriptions"): self._subscriptions,
            ("POST", "/subscriptions"): self._subscribe,
            ("DELETE", "/subscriptions"): self._unsubscribe,
        }.get((call.method, call.path))
        if route is None:
            return _error(404, "not.found", f"Method {call.method} {call.path} not found")
        return route(call)

    # --- limits -------------------------------------------------------------------------------

    def _within_global_limit(self) -> bool:
        return _take(self._recent, self.clock(), self.per_second)

    def _within_chat_limit(self, chat: str) -> bool:
        recent = self._recent_chat.setdefault(chat, deque())
        return _take(recent, self.clock(), self.per_chat_per_second)

    # --- methods ------------------------------------------------------------------------------

    def _me(self, call: StubCall) -> Reply:
        return Reply(200, dict(BOT))

    def _send(self, call: StubCall) -> Reply:
        target = _one_target(call.params)
        if isinstance(target, Reply):
            return target
        kind, number = target
        problem = self._check_body(call.json)
        if problem:
            return _error(400, "proto.payload", problem)
        if kind == "chat_id" and number in self.forbidden_chats:
            return _error(403, "chat.denied", "Bot is not an administrator of this chat")
        if kind == "chat_id" and number not in self.chats and number < 0:
            return _error(404, "chat.not.found", f"Chat {number} not found")
        user = number if kind == "user_id" else number - 500_000_000
        if user in self.blocked:
            return _error(403, "chat.denied", "dialog.suspended: the user blocked the bot")
        if not self._within_chat_limit(f"{kind}:{number}"):
            return _error(429, "too.many.requests", "Too many messages to this chat",
                          **{"Retry-After": "1"})  # fmt: skip
        mid = f"mid.{self._next():016x}"
        recipient = (
            {"user_id": number, "chat_id": self._dialog(number), "chat_type": "dialog"}
            if kind == "user_id"
            else {"chat_id": number, "chat_type": "channel"}
        )
        message = {
            "sender": dict(BOT),
            "recipient": recipient,
            "timestamp": self._now_ms(),
            "body": {
                "mid": mid,
                "seq": self._counter,
                "text": call.json.get("text") or "",
                "attachments": call.json.get("attachments") or [],
            },
        }
        if kind == "chat_id":
            message["url"] = f"https://max.ru/c/{number}/{mid}"
        self.sent.append(message)
        return Reply(200, {"message": message})

    def _check_body(self, body: Any) -> str:
        if not isinstance(body, dict):
            return "Request body must be a NewMessageBody JSON object"
        text = body.get("text")
        if text is not None and not isinstance(text, str):
            return "text: must be a string"
        if isinstance(text, str) and len(text) > TEXT_LIMIT:
            return f"text: size must be between 0 and {TEXT_LIMIT}"
        if body.get("format") not in (None, *FORMATS):
            return "format: must be one of markdown, html"
        attachments = body.get("attachments") or []
        if not isinstance(attachments, list) or len(attachments) > 12:
            return "attachments: at most 12"
        if not (text or "").strip() and not attachments:
            return "text: must not be empty without attachments"
        keyboards = 0
        for attachment in attachments:
            kind = attachment.get("type") if isinstance(attachment, dict) else None
            payload = attachment.get("payload") if isinstance(attachment, dict) else None
            if kind == "inline_keyboard":
                keyboards += 1
                problem = _check_keyboard(payload)
            elif kind == "image":
                problem = self._check_image(payload)
            else:
                problem = f"attachments: unsupported type {kind!r}"
            if problem:
                return problem
        if keyboards > 1:
            return "attachments: only one inline_keyboard"
        return ""

    def _check_image(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            return "image: payload required"
        if isinstance(payload.get("url"), str) and payload["url"].startswith("http"):
            return ""
        tokens = []
        if isinstance(payload.get("token"), str):
            tokens = [payload["token"]]
        elif isinstance(payload.get("photos"), dict):
            tokens = [p.get("token") for p in payload["photos"].values() if isinstance(p, dict)]
        if not tokens or any(t not in self._photo_tokens for t in tokens):
            return "image: unknown attachment token (upload the file with POST /uploads first)"
        return ""

    def _upload_url(self, call: StubCall) -> Reply:
        if call.params.get("type") not in ("image", "video", "audio", "file"):
            return _error(400, "proto.payload", "type: must be one of image, video, audio, file")
        upload_id = f"u{self._next()}"
        self._uploads[upload_id] = False
        return Reply(200, {"url": f"{self.root}/_upload/{upload_id}"})

    def _upload(self, call: StubCall, body: bytes) -> Reply:
        upload_id = call.path.removeprefix("/_upload/")
        if upload_id not in self._uploads:
            return _error(404, "not.found", "Unknown upload URL")
        if self._uploads[upload_id]:
            return _error(400, "upload.used", "One file per upload URL: ask POST /uploads again")
        content_type = call.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data") or b'name="data"' not in body:
            return _error(400, "proto.payload", "multipart field 'data' with the file required")
        self._uploads[upload_id] = True
        token = f"photo-token-{upload_id}"
        self._photo_tokens.add(token)
        return Reply(200, {"photos": {f"hash{upload_id}": {"token": token}}})

    def _answer(self, call: StubCall) -> Reply:
        callback_id = call.params.get("callback_id", "")
        if callback_id not in self._callbacks:
            return _error(400, "proto.payload", "callback_id: unknown callback")
        body = call.json if isinstance(call.json, dict) else {}
        if not body.get("notification") and not body.get("message"):
            return _error(400, "proto.payload", "Either message or notification required")
        if not self._within_chat_limit(f"user_id:{self._callbacks[callback_id]}"):
            return _error(429, "too.many.requests", "Too many answers", **{"Retry-After": "1"})
        self.answers.append({"callback_id": callback_id, **body})
        return Reply(200, {"success": True})

    def _poll(self, call: StubCall) -> Reply:
        if self.subscriptions:
            return _error(409, "conflict", "Long polling is unavailable while a webhook is set")
        try:
            marker = int(call.params.get("marker") or 0)
            limit = int(call.params.get("limit") or 100)
        except ValueError:
            return _error(400, "proto.payload", "marker and limit must be numbers")
        if not 1 <= limit <= 1000:
            return _error(400, "proto.payload", "limit: between 1 and 1000")
        types = {t for t in call.params.get("types", "").split(",") if t}
        batch = [
            u for u in self._updates[marker: marker + limit]
            if not types or u["update_type"] in types
        ]  # fmt: skip
        new_marker = min(marker + limit, len(self._updates))
        return Reply(200, {"updates": batch, "marker": new_marker})

    def _subscriptions(self, call: StubCall) -> Reply:
        return Reply(200, {"subscriptions": list(self.subscriptions)})

    def _subscribe(self, call: StubCall) -> Reply:
        body = call.json if isinstance(call.json, dict) else {}
        url = body.get("url")
        if not isinstance(url, str) or not _webhook_url_ok(url):
            return _error(400, "proto.payload", "url: an https:// address is required")
        secret = body.get("secret")
        if secret is not None and (not isinstance(secret, str) or not SECRET_RE.fullmatch(secret)):
            return _error(400, "proto.payload", "secret: 5-256 characters A-Z a-z 0-9 _ -")
        types = body.get("update_types") or []
        if not isinstance(types, list) or any(t not in UPDATE_TYPES for t in types):
            return _error(400, "proto.payload", "update_types: unknown type")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        self.subscriptions.append(
            {"url": url, "secret": secret or "", "update_types": types, "time": self._now_ms()}
        )
        return Reply(200, {"success": True})

    def _unsubscribe(self, call: StubCall) -> Reply:
        url = call.params.get("url", "")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        return Reply(200, {"success": True})


def _take(recent: deque[float], now: float, limit: int) -> bool:
    while recent and recent[0] <= now - WINDOW:
        recent.popleft()
    if len(recent) >= limit:
        return False
    recent.append(now)
    return True


def _one_target(params: dict[str, str]) -> tuple[str, int] | Reply:
    given = [key for key in ("user_id", "chat_id") if params.get(key)]
    if len(given) != 1:
        return _error(400, "proto.payload", "Exactly one of user_id and chat_id is required")
    value = params[given[0]]
    if not value.lstrip("-").isdigit():
        return _error(400, "proto.payload", f"{given[0]}: must be a number")
    return given[0], int(value)


def _webhook_url_ok(url: str) -> bool:
    parts = urlsplit(url)
    # The stub also takes the local demo server over plain HTTP; MAX itself wants HTTPS.
    local = parts.hostname in ("127.0.0.1", "localhost") and parts.scheme == "http"
    return bool(parts.hostname) and (parts.scheme == "https" or local)


def _check_keyboard(payload: Any) -> str:
    rows = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        return "inline_keyboard: buttons must be a non-empty array of rows"
    if len(rows) > 30:
        return "inline_keyboard: at most 30 rows"
    for row in rows:
        if not 1 <= len(row) <= 7:
            return "inline_keyboard: 1 to 7 buttons a row"
        links = [b for b in row if isinstance(b, dict) and b.get("type") == "link"]
        if links and len(row) > 3:
            return "inline_keyboard: at most 3 buttons a row with link buttons"
        for button in row:
            problem = _check_button(button)
            if problem:
                return problem
    return ""


def _check_button(button: Any) -> str:
    if not isinstance(button, dict):
        return "button: must be an object"
    text = button.get("text")
    if not isinstance(text, str) or not 1 <= len(text) <= 128:
        return "button.text: 1 to 128 characters"
    kind = button.get("type")
    if kind == "link":
        url = button.get("url")
        if not isinstance(url, str) or len(url) > 2048:
            return "button.url: an http(s) address up to 2048 characters"
        if not url.startswith(("http://", "https://")):
            return "button.url: an http(s) address up to 2048 characters"
        return ""
    if kind == "callback":
        payload = button.get("payload")
        if not isinstance(payload, str) or not 1 <= len(payload) <= 1024:
            return "button.payload: 1 to 1024 characters"
        return ""
    return f"button.type: unsupported {kind!r}"
