"""Одноклассники: a group topic through the OK REST API (`fb.do`).

Every call is a form POST signed with the session secret: `sig` is the MD5 of the sorted
`key=value` pairs (all parameters but `access_token` and `sig`) followed by
MD5(access_token + application secret key). Photos are uploaded first (`photosV2.getUploadUrl`
→ multipart POST of `pic1`…`picN` → tokens), then `mediatopic.post` creates the topic with
text, link and photos.

OK answers errors with `{"error_code", "error_msg", ...}`, usually with HTTP 200.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx

from apps.publicity.social.base import (
    Credentials,
    Outgoing,
    Photo,
    Published,
    SocialError,
    send,
)

# UNKNOWN, SERVICE (temporarily unavailable), FLOOD_BLOCKED, LIMIT_REACHED, NETWORK_TIMEOUT.
RETRYABLE_CODES = frozenset({1, 2, 8, 11, 31})

_KEYS_HINT = "Проверьте вечный ключ доступа группы и ключи приложения и сохраните их заново."

ERROR_MESSAGES = {
    1: "Одноклассники: неизвестная ошибка (код 1). Публикация будет повторена позже.",
    2: "Одноклассники: сервис временно недоступен (код 2). Публикация будет повторена позже.",
    8: "Одноклассники: сработала защита от флуда (код 8). Публикация будет повторена позже.",
    11: "Одноклассники: достигнут предел вызовов (код 11). Публикация будет повторена позже.",
    10: "Одноклассники: нет прав на публикацию в группе (код 10). Приложению нужны права "
    "GROUP_CONTENT и PHOTO_CONTENT.",
    50: "Одноклассники: у владельца ключа нет прав администратора группы (код 50).",
    100: "Одноклассники отклонили параметры запроса (код 100). Проверьте ID группы.",
    101: "Одноклассники: публичный ключ приложения указан неверно (код 101).",
    102: f"Одноклассники: срок действия ключа доступа истёк (код 102). {_KEYS_HINT}",
    103: f"Одноклассники: ключ доступа недействителен (код 103). {_KEYS_HINT}",
    104: "Одноклассники: неверная подпись запроса (код 104) — секретный ключ приложения не "
    f"подходит к ключу доступа. {_KEYS_HINT}",
    160: "Одноклассники: неверный ID группы (код 160).",
    200: "Одноклассники: приложению не выданы права на публикацию (код 200). Запросите у "
    "поддержки OK права GROUP_CONTENT и PHOTO_CONTENT.",
    210: "Одноклассники: приложение отключено (код 210).",
    454: "Одноклассники: текст записи отклонён цензором (код 454).",
    456: "Одноклассники: группа ограничила публикацию записей (код 456).",
}


class OkConnector:
    network = "ok"
    label = "Одноклассники"
    target_label = "ID группы"
    extra_fields: tuple[tuple[str, str], ...] = (
        ("application_key", "Публичный ключ приложения"),
        ("application_secret_key", "Секретный ключ приложения"),
    )

    def publish(
        self, creds: Credentials, post: Outgoing, *, base_url: str, client: httpx.Client
    ) -> Published:
        gid = parse_group_id(creds.target)
        api = _Api(client, base_url, creds)
        media: list[dict[str, Any]] = [{"type": "text", "text": compose_text(post)}]
        if post.link:
            media.append({"type": "link", "url": post.link})
        if post.photos:
            tokens = _upload_photos(api, gid, post.photos)
            media.append({"type": "photo", "list": [{"id": token} for token in tokens]})
        topic_id = api.call(
            "mediatopic.post",
            gid=gid,
            type="GROUP_THEME",
            attachment=json.dumps({"media": media}, ensure_ascii=False),
        )
        if not isinstance(topic_id, str | int) or not str(topic_id):
            raise _unexpected("mediatopic.post")
        return Published(remote_id=str(topic_id), url=f"https://ok.ru/group/{gid}/topic/{topic_id}")


def parse_group_id(target: str) -> str:
    value = target.strip()
    if not value.isdigit():
        raise SocialError(
            f"Одноклассники: ID группы должен состоять из цифр, указано «{target}».",
            retryable=False,
        )
    return value


def compose_text(post: Outgoing) -> str:
    parts = [post.title.strip(), post.text.strip()]
    return "\n\n".join(part for part in parts if part)


def sign(params: dict[str, str], access_token: str, secret_key: str) -> str:
    """The OK session signature of `params` (without `access_token` and `sig`)."""
    session_secret = _md5(access_token + secret_key)
    pairs = "".join(
        f"{key}={params[key]}" for key in sorted(params) if key not in ("access_token", "sig")
    )
    return _md5(pairs + session_secret)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _upload_photos(api: _Api, gid: str, photos: tuple[Photo, ...]) -> list[str]:
    answer = api.call("photosV2.getUploadUrl", gid=gid, count=str(len(photos)))
    upload_url = answer.get("upload_url") if isinstance(answer, dict) else None
    photo_ids = answer.get("photo_ids") if isinstance(answer, dict) else None
    if not upload_url or not isinstance(photo_ids, list) or len(photo_ids) != len(photos):
        raise _unexpected("photosV2.getUploadUrl")
    uploaded = api.upload(upload_url, photos)
    tokens = []
    for photo_id in photo_ids:
        entry = uploaded.get(str(photo_id))
        if not isinstance(entry, dict) or not entry.get("token"):
            raise SocialError(
                "Одноклассники не приняли фотографию (нет токена в ответе сервера загрузки). "
                "Проверьте формат и размер файлов.",
                retryable=False,
            )
        tokens.append(str(entry["token"]))
    return tokens


class _Api:
    def __init__(self, client: httpx.Client, base_url: str, creds: Credentials):
        self.client = client
        self.base_url = base_url
        self.token = creds.token
        self.application_key = creds.extra.get("application_key", "").strip()
        self.secret_key = creds.extra.get("application_secret_key", "").strip()
        if not self.application_key or not self.secret_key:
            raise SocialError(
                "Одноклассники: не заполнены публичный и секретный ключи приложения.",
                retryable=False,
            )

    def call(self, method: str, **params: str) -> Any:
        data = {**params, "method": method, "application_key": self.application_key}
        data["format"] = "json"
        data["sig"] = sign(data, self.token, self.secret_key)
        data["access_token"] = self.token
        body = _json(_send(self.client, self.base_url, data=data), method)
        _raise_for_error(body)
        return body

    def upload(self, url: str, photos: tuple[Photo, ...]) -> dict[str, Any]:
        files = [
            (f"pic{number}", (photo.filename, photo.content, photo.mime))
            for number, photo in enumerate(photos, start=1)
        ]
        body = _json(_send(self.client, url, files=files), "загрузка фотографий")
        _raise_for_error(body)
        uploaded = body.get("photos") if isinstance(body, dict) else None
        if not isinstance(uploaded, dict):
            raise _unexpected("загрузка фотографий")
        return uploaded


def _send(
    client: httpx.Client,
    url: str,
    *,
    data: dict[str, str] | None = None,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> httpx.Response:
    return send(client, url, name="Одноклассники", data=data, files=files)


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise _unexpected(what) from exc


def _raise_for_error(body: Any) -> None:
    if not isinstance(body, dict) or "error_code" not in body:
        return
    code = body.get("error_code")
    message = ERROR_MESSAGES.get(code) if isinstance(code, int) else None
    if message is None:
        remote = str(body.get("error_msg") or "без описания").strip()
        message = f"Одноклассники вернули ошибку (код {code}): {remote}."
    raise SocialError(message, retryable=code in RETRYABLE_CODES)


def _unexpected(what: str) -> SocialError:
    return SocialError(
        f"Одноклассники вернули неожиданный ответ ({what}). Публикация будет повторена позже.",
        retryable=True,
    )
