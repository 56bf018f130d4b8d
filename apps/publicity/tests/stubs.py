"""A stand-in for the VK, OK and Telegram APIs on an `httpx.MockTransport`, for tests.

`SocialStub.client()` is an `httpx.Client` whose requests never leave the process; the stub
answers them like the real APIs do, at the addresses in `base_urls` (under `ROOT`), including
the upload addresses it hands out:

    /vk/method/<method>         VK API (base_url …/vk/method), uploads at /vk/upload/<n>
    /ok/fb.do                   OK REST API (base_url …/ok/fb.do), uploads at /ok/upload/<n>
    /telegram/bot<token>/<m>    Telegram Bot API (base_url …/telegram)

It checks what the real APIs check where that is cheap (tokens, the API method, required
parameters, the OK signature, the upload `server`/`hash`, Telegram HTML and caption length),
records every request in `requests` and can be told to fail the next API calls of a network
(`fail`); "timeout" raises `httpx.ReadTimeout` as a real client would. Uploads are never failed
on purpose. The `social_stub` fixture also makes `apps.publicity.delivery` send through it.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

NETWORKS = ("vk", "ok", "telegram")
FAIL_MODES = ("rate_limit", "invalid_token", "server_error", "http_429", "timeout")
ROOT = "https://social.stub"

VK_TOKEN = "vk1.a.test-community-token"
OK_TOKEN = "tkn1-test-group-token"
OK_APPLICATION_KEY = "CBAHGPLGDIHBABABA"
OK_SECRET_KEY = "0123456789ABCDEF0123456789ABCDEF"
TELEGRAM_TOKEN = "123456789:AAtest-bot-token"
TELEGRAM_CHATS = ("@nastavnik_school", "-1001234567890")
TELEGRAM_FORBIDDEN_CHATS = ("@closed_channel",)


@dataclass(frozen=True)
class StubFile:
    field: str
    filename: str
    size: int
    content_type: str


@dataclass
class StubRequest:
    network: str
    method: str  # API method, or "upload" for the upload addresses
    path: str
    fields: dict[str, str]
    json: Any
    files: list[StubFile]
    headers: dict[str, str]
    failed: str = ""  # the failure mode served instead of the real answer
    status: int = 200
    response: Any = None


@dataclass
class _Reply:
    status: int
    body: Any  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)


class SocialStub:
    def __init__(
        self,
        *,
        vk_token: str = VK_TOKEN,
        vk_token_kind: str = "user",  # "group": photos.getWallUploadServer answers error 27
        ok_token: str = OK_TOKEN,
        ok_application_key: str = OK_APPLICATION_KEY,
        ok_secret_key: str = OK_SECRET_KEY,
        telegram_token: str = TELEGRAM_TOKEN,
        telegram_chats: tuple[str, ...] = TELEGRAM_CHATS,
        telegram_forbidden_chats: tuple[str, ...] = TELEGRAM_FORBIDDEN_CHATS,
    ):
        self.vk_token = vk_token
        self.vk_token_kind = vk_token_kind
        self.ok_token = ok_token
        self.ok_application_key = ok_application_key
        self.ok_secret_key = ok_secret_key
        self.telegram_token = telegram_token
        self.telegram_chats = telegram_chats
        self.telegram_forbidden_chats = telegram_forbidden_chats
        self.root = ROOT
        self.requests: list[StubRequest] = []
        self.transport = httpx.MockTransport(self.handle)
        self._reset_state()

    @property
    def base_urls(self) -> dict[str, str]:
        return {
            "vk": f"{self.root}/vk/method",
            "ok": f"{self.root}/ok/fb.do",
            "telegram": f"{self.root}/telegram",
        }

    def client(self) -> httpx.Client:
        """An `httpx.Client` that talks to this stub only."""
        return httpx.Client(transport=self.transport)

    # --- control and inspection --------------------------------------------------------------

    def fail(self, network: str, mode: str, times: int = 1) -> None:
        """Serve `mode` instead of the real answer to the next `times` API calls of `network`."""
        if network not in NETWORKS or mode not in FAIL_MODES:
            raise ValueError(f"Unknown network or mode: {network!r}, {mode!r}")
        self._failures[network].extend([mode] * times)

    def calls(self, network: str, method: str | None = None) -> list[StubRequest]:
        return [
            request
            for request in self.requests
            if request.network == network and (method is None or request.method == method)
        ]

    def methods(self, network: str) -> list[str]:
        return [request.method for request in self.calls(network)]

    def reset(self) -> None:
        self.requests.clear()
        self._reset_state()

    def _reset_state(self) -> None:
        self._failures: dict[str, list[str]] = {network: [] for network in NETWORKS}
        self._counter = 0
        self._vk_uploads: dict[str, str] = {}  # upload id → group id
        self._vk_uploaded: dict[tuple[str, str], str] = {}  # (server, hash) → photo
        self._vk_saved: set[str] = set()  # "photo-1_2"
        self._ok_uploads: dict[str, list[str]] = {}  # upload id → photo ids
        self._ok_tokens: set[str] = set()
        self._telegram_message_ids: dict[str, int] = {}

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _take_failure(self, network: str) -> str:
        queue = self._failures[network]
        return queue.pop(0) if queue else ""

    # --- dispatch ----------------------------------------------------------------------------

    def handle(self, http: httpx.Request) -> httpx.Response:
        """The `MockTransport` handler: route, record, fail on demand or answer."""
        route = _route(http.url.path) if http.url.host == httpx.URL(self.root).host else None
        if route is None:
            return _response(_Reply(404, b"Not Found"))
        request = _record(http, *route)
        self.requests.append(request)
        failure = "" if request.method == "upload" else self._take_failure(request.network)
        request.failed = failure
        if failure == "timeout":
            raise httpx.ReadTimeout("The stub did not answer in time", request=http)
        reply = _FAILURES[request.network](failure) if failure else self._answer(request)
        request.status = reply.status
        request.response = reply.body
        return _response(reply)

    def _answer(self, request: StubRequest) -> _Reply:
        if request.network == "vk":
            return self._vk(request)
        if request.network == "ok":
            return self._ok(request)
        return self._telegram(request)

    # --- VK ----------------------------------------------------------------------------------

    def _vk(self, request: StubRequest) -> _Reply:
        if request.method == "upload":
            return self._vk_upload(request)
        fields = request.fields
        if not fields.get("access_token"):
            return _vk_error(5, "User authorization failed: no access_token passed.")
        if fields["access_token"] != self.vk_token:
            return _vk_error(5, "User authorization failed: invalid access_token (4).")
        if not fields.get("v"):
            return _vk_error(8, "Invalid request: v (version) is required")
        handler = {
            "photos.getWallUploadServer": self._vk_upload_server,
            "photos.saveWallPhoto": self._vk_save_photo,
            "wall.post": self._vk_wall_post,
        }.get(request.method)
        if handler is None:
            return _vk_error(3, "Unknown method passed")
        return handler(fields)

    def _vk_upload_server(self, fields: dict[str, str]) -> _Reply:
        group_id = fields.get("group_id", "")
        if not group_id.isdigit():
            return _vk_error(100, "One of the parameters specified was missing or invalid")
        if self.vk_token_kind == "group":
            return _vk_error(
                27, "Group authorization failed: method is unavailable with group auth."
            )
        upload_id = str(self._next())
        self._vk_uploads[upload_id] = group_id
        url = f"{self.root}/vk/upload/{upload_id}?act=do_add&mid=0&aid=-14&gid={group_id}"
        return _vk_ok({"album_id": -14, "upload_url": url, "user_id": 0})

    def _vk_upload(self, request: StubRequest) -> _Reply:
        upload_id = request.path.rsplit("/", 1)[-1]
        if upload_id not in self._vk_uploads:
            return _Reply(200, {"error": "ERR_UPLOAD_BAD_URL: upload address is unknown"})
        server = str(800_000 + int(upload_id))
        digest = hashlib.sha256(f"vk-upload-{upload_id}".encode()).hexdigest()[:32]
        photos = [item for item in request.files if item.field == "photo" and item.size]
        if not photos:
            return _Reply(200, {"server": int(server), "photo": "[]", "hash": digest})
        photo = json.dumps([{"photo": f"{digest[:10]}:z", "sizes": [], "kid": digest[:8]}])
        self._vk_uploaded[(server, digest)] = photo
        return _Reply(200, {"server": int(server), "photo": photo, "hash": digest})

    def _vk_save_photo(self, fields: dict[str, str]) -> _Reply:
        group_id = fields.get("group_id", "")
        photo = self._vk_uploaded.get((fields.get("server", ""), fields.get("hash", "")))
        if photo is None or photo != fields.get("photo"):
            return _vk_error(121, "Invalid hash")
        photo_id = 457_239_000 + self._next()
        self._vk_saved.add(f"photo-{group_id}_{photo_id}")
        sizes = [{"type": "x", "width": 604, "height": 403, "url": f"{self.root}/img.jpg"}]
        saved = {
            "album_id": -14,
            "date": int(time.time()),
            "id": photo_id,
            "owner_id": -int(group_id),
            "access_key": "0123abcd",
            "sizes": sizes,
            "text": "",
            "has_tags": False,
        }
        return _vk_ok([saved])

    def _vk_wall_post(self, fields: dict[str, str]) -> _Reply:
        owner_id = fields.get("owner_id", "")
        if not owner_id.startswith("-") or not owner_id[1:].isdigit():
            return _vk_error(15, "Access denied: community token can post only to its wall")
        attachments = [item for item in fields.get("attachments", "").split(",") if item]
        for item in attachments:
            if item.startswith("photo") and item not in self._vk_saved:
                return _vk_error(100, f"One of the parameters specified was invalid: {item}")
        if not fields.get("message") and not attachments:
            return _vk_error(100, "One of the parameters specified was missing: message")
        return _vk_ok({"post_id": 100 + self._next()})

    # --- OK ----------------------------------------------------------------------------------

    def _ok(self, request: StubRequest) -> _Reply:
        if request.method == "upload":
            return self._ok_upload(request)
        fields = request.fields
        if fields.get("application_key") != self.ok_application_key:
            return _ok_error(101, "PARAM_API_KEY : Application key is invalid")
        if not fields.get("access_token"):
            return _ok_error(453, "SESSION_REQUIRED : Session key is required")
        if fields["access_token"] != self.ok_token:
            return _ok_error(102, "PARAM_SESSION_EXPIRED : Session expired")
        expected = ok_signature(fields, self.ok_token, self.ok_secret_key)
        if fields.get("sig") != expected:
            return _ok_error(104, f"PARAM_SIGNATURE : Invalid signature {fields.get('sig')}")
        handler = {
            "photosV2.getUploadUrl": self._ok_upload_url,
            "mediatopic.post": self._ok_topic,
        }.get(request.method)
        if handler is None:
            return _ok_error(3, f"METHOD : Method {request.method} not found")
        return handler(fields)

    def _ok_upload_url(self, fields: dict[str, str]) -> _Reply:
        if not fields.get("gid", "").isdigit():
            return _ok_error(160, "PARAM_GROUP_ID : Invalid group id")
        count = int(fields["count"]) if fields.get("count", "").isdigit() else 1
        if not 1 <= count <= 100:
            return _ok_error(100, "PARAM : count must be between 1 and 100")
        upload_id = str(self._next())
        photo_ids = [f"Ph{upload_id}x{number}QkVT" for number in range(1, count + 1)]
        self._ok_uploads[upload_id] = photo_ids
        return _Reply(
            200,
            {
                "upload_url": f"{self.root}/ok/upload/{upload_id}?photoIds={','.join(photo_ids)}",
                "photo_ids": photo_ids,
                "expires_ms": int(time.time() * 1000) + 86_400_000,
            },
        )

    def _ok_upload(self, request: StubRequest) -> _Reply:
        upload_id = request.path.rsplit("/", 1)[-1]
        photo_ids = self._ok_uploads.get(upload_id)
        if photo_ids is None:
            return _ok_error(100, "PARAM : upload address is unknown or expired")
        files = {item.field: item for item in request.files if item.size}
        photos = {}
        for number, photo_id in enumerate(photo_ids, start=1):
            if f"pic{number}" in files:
                token = hashlib.sha256(f"ok-{photo_id}".encode()).hexdigest()[:40]
                self._ok_tokens.add(token)
                photos[photo_id] = {"token": token}
        if not photos:
            return _ok_error(21, "NOT_MULTIPART : no files in the request")
        return _Reply(200, {"photos": photos})

    def _ok_topic(self, fields: dict[str, str]) -> _Reply:
        if not fields.get("gid", "").isdigit():
            return _ok_error(160, "PARAM_GROUP_ID : Invalid group id")
        if fields.get("type") != "GROUP_THEME":
            return _ok_error(100, "PARAM : type must be GROUP_THEME for a group")
        try:
            media = json.loads(fields.get("attachment", ""))["media"]
        except (ValueError, KeyError, TypeError):
            return _ok_error(100, "PARAM : attachment is not a valid JSON with media")
        if not isinstance(media, list) or not media:
            return _ok_error(100, "PARAM : attachment.media is empty")
        for item in media:
            if item.get("type") == "photo":
                unknown = [
                    p.get("id") for p in item.get("list", []) if p.get("id") not in self._ok_tokens
                ]
                if unknown:
                    return _ok_error(121, f"PARAM_PHOTO_ID : Invalid photo token {unknown[0]}")
        return _Reply(200, str(155_000_000_000 + self._next()))

    # --- Telegram ----------------------------------------------------------------------------

    def _telegram(self, request: StubRequest) -> _Reply:
        token = request.path.split("/")[2].removeprefix("bot")
        if token != self.telegram_token:
            return _tg_error(401, "Unauthorized")
        values = request.json if isinstance(request.json, dict) else request.fields
        chat = str(values.get("chat_id", ""))
        if not chat:
            return _tg_error(400, "Bad Request: chat_id is empty")
        if chat in self.telegram_forbidden_chats:
            return _tg_error(403, "Forbidden: bot is not a member of the channel chat")
        if chat not in self.telegram_chats:
            return _tg_error(400, "Bad Request: chat not found")
        handler = {
            "sendMessage": self._tg_message,
            "sendPhoto": self._tg_photo,
            "sendMediaGroup": self._tg_album,
        }.get(request.method)
        if handler is None:
            return _tg_error(404, "Not Found")
        return handler(chat, values, request.files)

    def _tg_message(self, chat: str, values: dict[str, Any], files: list[StubFile]) -> _Reply:
        text, error = _tg_visible(values.get("text", ""), values.get("parse_mode"))
        if error:
            return _tg_error(400, error)
        if not text.strip():
            return _tg_error(400, "Bad Request: message text is empty")
        if _utf16_len(text) > 4096:
            return _tg_error(400, "Bad Request: message is too long")
        return _tg_ok(self._tg_base(chat) | {"text": text})

    def _tg_photo(self, chat: str, values: dict[str, Any], files: list[StubFile]) -> _Reply:
        photo = next((item for item in files if item.field == "photo"), None)
        if photo is None or not photo.size:
            return _tg_error(400, "Bad Request: there is no photo in the request")
        caption, error = _tg_caption(values.get("caption", ""), values.get("parse_mode"))
        if error:
            return _tg_error(400, error)
        message = self._tg_base(chat) | {"photo": _tg_sizes(photo)}
        if caption:
            message["caption"] = caption
        return _tg_ok(message)

    def _tg_album(self, chat: str, values: dict[str, Any], files: list[StubFile]) -> _Reply:
        try:
            media = json.loads(values.get("media", ""))
        except ValueError:
            return _tg_error(400, "Bad Request: can't parse media JSON object")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            return _tg_error(400, "Bad Request: media must include 2-10 items")
        by_field = {item.field: item for item in files}
        group_id = str(13_000_000_000_000 + self._next())
        messages = []
        for item in media:
            name = str(item.get("media", "")).removeprefix("attach://")
            if item.get("type") != "photo" or name not in by_field:
                return _tg_error(400, "Bad Request: wrong file identifier/HTTP URL specified")
            caption, error = _tg_caption(item.get("caption", ""), item.get("parse_mode"))
            if error:
                return _tg_error(400, error)
            message = self._tg_base(chat) | {
                "media_group_id": group_id,
                "photo": _tg_sizes(by_field[name]),
            }
            if caption:
                message["caption"] = caption
            messages.append(message)
        return _tg_ok(messages)

    def _tg_base(self, chat: str) -> dict[str, Any]:
        message_id = self._telegram_message_ids.get(chat, 100) + 1
        self._telegram_message_ids[chat] = message_id
        chat_info: dict[str, Any] = {"id": -1001234567890, "title": "Школа", "type": "channel"}
        if chat.startswith("@"):
            chat_info["username"] = chat[1:]
        return {
            "message_id": message_id,
            "sender_chat": chat_info,
            "chat": chat_info,
            "date": int(time.time()),
        }


# --- OK signature, computed independently of the connector -----------------------------------


def ok_signature(fields: dict[str, str], access_token: str, secret_key: str) -> str:
    secret = hashlib.md5((access_token + secret_key).encode(), usedforsecurity=False).hexdigest()
    signed = sorted(
        (key, value) for key, value in fields.items() if key not in ("sig", "access_token")
    )
    text = "".join(f"{key}={value}" for key, value in signed) + secret
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


# --- answers -----------------------------------------------------------------------------------


def _vk_ok(response: Any) -> _Reply:
    return _Reply(200, {"response": response})


def _vk_error(code: int, message: str) -> _Reply:
    return _Reply(200, {"error": {"error_code": code, "error_msg": message, "request_params": []}})


def _ok_error(code: int, message: str) -> _Reply:
    return _Reply(200, {"error_code": code, "error_msg": message, "error_data": None})


def _tg_ok(result: Any) -> _Reply:
    return _Reply(200, {"ok": True, "result": result})


def _tg_error(code: int, description: str, **parameters: Any) -> _Reply:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return _Reply(code, body)


def _html_500() -> _Reply:
    return _Reply(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")


def _http_429() -> _Reply:
    return _Reply(429, b"Too Many Requests", {"Retry-After": "3"})


def _vk_failure(mode: str) -> _Reply:
    if mode == "rate_limit":
        return _vk_error(6, "Too many requests per second")
    if mode == "invalid_token":
        return _vk_error(5, "User authorization failed: invalid access_token (4).")
    return _http_429() if mode == "http_429" else _html_500()


def _ok_failure(mode: str) -> _Reply:
    if mode == "rate_limit":
        return _ok_error(8, "FLOOD_BLOCKED : Call blocked due to flood protection")
    if mode == "invalid_token":
        return _ok_error(102, "PARAM_SESSION_EXPIRED : Session expired")
    return _http_429() if mode == "http_429" else _html_500()


def _tg_failure(mode: str) -> _Reply:
    if mode == "rate_limit":
        return _tg_error(429, "Too Many Requests: retry after 7", retry_after=7)
    if mode == "invalid_token":
        return _tg_error(401, "Unauthorized")
    if mode == "http_429":
        return _http_429()
    return _tg_error(500, "Internal Server Error")


_FAILURES = {"vk": _vk_failure, "ok": _ok_failure, "telegram": _tg_failure}


# --- Telegram text checks ----------------------------------------------------------------------

_TG_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
    | {"span", "tg-spoiler", "tg-emoji", "blockquote"}
)
_RAW_LT = re.compile(r"<(?!/?[a-zA-Z][a-zA-Z-]*[\s>/])")
_RAW_AMP = re.compile(r"&(?!#?\w+;)")


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []
        self.error = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TG_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.error = self.error or f'Unmatched end tag "{tag}"'
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _tg_visible(text: str, parse_mode: str | None) -> tuple[str, str]:
    """The text a reader sees, and an error like Telegram's when the HTML does not parse."""
    if parse_mode != "HTML":
        return text, ""
    if _RAW_LT.search(text) or _RAW_AMP.search(text):
        return "", "Bad Request: can't parse entities: unescaped <, > or & in the text"
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open and not parser.error:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.open[-1]}"'
    if parser.error:
        return "", f"Bad Request: can't parse entities: {parser.error}"
    return "".join(parser.text), ""


def _tg_caption(caption: str, parse_mode: str | None) -> tuple[str, str]:
    visible, error = _tg_visible(caption, parse_mode)
    if not error and _utf16_len(visible) > 1024:
        error = "Bad Request: message caption is too long"
    return visible, error


def _tg_sizes(photo: StubFile) -> list[dict[str, Any]]:
    unique = hashlib.sha256(f"{photo.filename}{photo.size}".encode()).hexdigest()[:16]
    return [
        {"file_id": f"AgAC{unique}s", "file_unique_id": f"{unique}s", "width": 90, "height": 60},
        {
            "file_id": f"AgAC{unique}m",
            "file_unique_id": f"{unique}m",
            "file_size": photo.size,
            "width": 800,
            "height": 533,
        },
    ]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- HTTP plumbing -----------------------------------------------------------------------------


def _record(http: httpx.Request, network: str, method: str) -> StubRequest:
    body = http.read()
    fields = dict(parse_qsl(http.url.query.decode("ascii"), keep_blank_values=True))
    content_type = http.headers.get("Content-Type", "")
    payload: Any = None
    files: list[StubFile] = []
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields |= dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif content_type.startswith("multipart/form-data"):
        form_fields, files = _parse_multipart(body, content_type)
        fields |= form_fields
    elif content_type.startswith("application/json") and body:
        payload = json.loads(body)
    if network == "ok" and method == "":
        method = fields.get("method", "")
    headers = {key.lower(): value for key, value in http.headers.items()}
    return StubRequest(network, method, http.url.path, fields, payload, files, headers)


def _response(reply: _Reply) -> httpx.Response:
    if isinstance(reply.body, bytes):
        data, content_type = reply.body, "text/html; charset=utf-8"
    else:
        data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
        content_type = "application/json; charset=utf-8"
    headers = {"Content-Type": content_type, **reply.headers}
    return httpx.Response(reply.status, content=data, headers=headers)


def _route(path: str) -> tuple[str, str] | None:
    segments = path.strip("/").split("/")
    match segments:
        case ["vk", "method", method]:
            return "vk", method
        case ["vk", "upload", _]:
            return "vk", "upload"
        case ["ok", "fb.do"]:
            return "ok", ""
        case ["ok", "upload", _]:
            return "ok", "upload"
        case ["telegram", bot, method] if bot.startswith("bot"):
            return "telegram", method
    return None


_DISPOSITION_PARAM = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def _parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], list[StubFile]]:
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not found:
        return {}, []
    delimiter = b"--" + found.group(1).encode("ascii")
    fields: dict[str, str] = {}
    files: list[StubFile] = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", errors="replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = dict(_DISPOSITION_PARAM.findall(headers.get("content-disposition", "")))
        name = params.get("name", "")
        if "filename" in params:
            mime = headers.get("content-type", "application/octet-stream")
            files.append(StubFile(name, params["filename"], len(content), mime))
        else:
            fields[name] = content.decode("utf-8")
    return fields, files


@pytest.fixture
def social_stub(monkeypatch, settings) -> SocialStub:
    """A fresh `SocialStub`; social deliveries in the test go to it (and nowhere else)."""
    from apps.publicity import delivery

    stub = SocialStub()
    settings.SOCIAL_API_URLS = stub.base_urls
    monkeypatch.setattr(delivery, "http_client", stub.client)
    return stub
