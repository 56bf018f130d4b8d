"""ВКонтакте: a post on the community wall through the VK API (version 5.199).

Each photo goes through the wall upload flow (`photos.getWallUploadServer` → multipart POST to
the returned address → `photos.saveWallPhoto`), then one `wall.post` on behalf of the community
with the photos and the link to the school's page as attachments.

VK answers errors with HTTP 200 and `{"error": {"error_code", "error_msg"}}`.
"""

from __future__ import annotations

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

API_VERSION = "5.199"

# Too many requests per second, flood control, method rate limit, unknown and internal errors,
# captcha: a later attempt usually goes through.
RETRYABLE_CODES = frozenset({1, 6, 9, 10, 14, 29})

ERROR_MESSAGES = {
    5: "ВКонтакте: ключ доступа сообщества недействителен или отозван (код 5). Создайте новый "
    "ключ в настройках сообщества («Управление» → «Работа с API») и сохраните его здесь.",
    6: "ВКонтакте: слишком много запросов в секунду (код 6). Публикация будет повторена позже.",
    9: "ВКонтакте: слишком много однотипных действий (код 9). Публикация будет повторена позже.",
    10: "ВКонтакте: внутренняя ошибка сервера (код 10). Публикация будет повторена позже.",
    14: "ВКонтакте запросил ввод капчи (код 14). Публикация будет повторена позже.",
    15: "ВКонтакте: доступ запрещён (код 15). Проверьте, что у ключа есть права «Стена» и "
    "«Фотографии», а стена сообщества открыта для записей.",
    17: "ВКонтакте требует подтвердить действия владельца ключа (код 17). Войдите во ВКонтакте "
    "и выполните проверку, затем создайте ключ заново.",
    18: "ВКонтакте: страница удалена или заблокирована (код 18).",
    27: "ВКонтакте: метод недоступен с ключом сообщества (код 27). Загрузка фотографий на стену "
    "требует ключа доступа администратора сообщества (пользовательского); либо публикуйте "
    "записи без фотографий.",
    29: "ВКонтакте: достигнут суточный лимит вызовов (код 29). Публикация будет повторена позже.",
    100: "ВКонтакте отклонил параметры запроса (код 100). Проверьте ID сообщества.",
    203: "ВКонтакте: нет доступа к сообществу (код 203). Проверьте ID сообщества и ключ.",
    214: "ВКонтакте: публикация на стене запрещена (код 214) — стена закрыта или исчерпан "
    "лимит записей за сутки.",
    219: "ВКонтакте: в записи запрещены ссылки (код 219).",
    222: "ВКонтакте: в записи запрещены ссылки (код 222).",
    1051: "ВКонтакте: этот тип ключа не подходит для публикации (код 1051). Используйте ключ "
    "доступа сообщества.",
}


class VkConnector:
    network = "vk"
    label = "ВКонтакте"
    target_label = "ID сообщества (цифры)"
    extra_fields: tuple[tuple[str, str], ...] = ()

    def publish(
        self, creds: Credentials, post: Outgoing, *, base_url: str, client: httpx.Client
    ) -> Published:
        group_id = parse_group_id(creds.target)
        api = _Api(client, base_url.rstrip("/"), creds.token)
        attachments = [_upload_photo(api, group_id, photo) for photo in post.photos]
        if post.link:
            attachments.append(post.link)
        response = api.call(
            "wall.post",
            owner_id=f"-{group_id}",
            from_group="1",
            message=compose_message(post),
            attachments=",".join(attachments),
        )
        post_id = _field(response, "post_id")
        return Published(remote_id=str(post_id), url=f"https://vk.com/wall-{group_id}_{post_id}")


def parse_group_id(target: str) -> str:
    """Digits of the community id; tolerates «-123», «club123» and «public123»."""
    value = target.strip().lstrip("-")
    for prefix in ("club", "public"):
        value = value.removeprefix(prefix)
    if not value.isdigit():
        raise SocialError(
            f"ВКонтакте: ID сообщества должен состоять из цифр, указано «{target}».",
            retryable=False,
        )
    return value


def compose_message(post: Outgoing) -> str:
    parts = [post.title.strip(), post.text.strip(), post.link.strip()]
    return "\n\n".join(part for part in parts if part)


def _upload_photo(api: _Api, group_id: str, photo: Photo) -> str:
    server = api.call("photos.getWallUploadServer", group_id=group_id)
    upload_url = _field(server, "upload_url")
    uploaded = api.upload(upload_url, photo)
    saved = api.call(
        "photos.saveWallPhoto",
        group_id=group_id,
        photo=str(uploaded.get("photo", "")),
        server=str(uploaded.get("server", "")),
        hash=str(uploaded.get("hash", "")),
    )
    if not isinstance(saved, list) or not saved:
        raise _unexpected("photos.saveWallPhoto")
    first = saved[0]
    return f"photo{_field(first, 'owner_id')}_{_field(first, 'id')}"


class _Api:
    def __init__(self, client: httpx.Client, base_url: str, token: str):
        self.client = client
        self.base_url = base_url
        self.token = token

    def call(self, method: str, **params: str) -> Any:
        data = {**params, "access_token": self.token, "v": API_VERSION}
        body = _json(_send(self.client, f"{self.base_url}/{method}", data=data), method)
        if isinstance(body, dict) and "error" in body:
            raise _api_error(body["error"])
        if not isinstance(body, dict) or "response" not in body:
            raise _unexpected(method)
        return body["response"]

    def upload(self, url: str, photo: Photo) -> dict[str, Any]:
        files = {"photo": (photo.filename, photo.content, photo.mime)}
        body = _json(_send(self.client, url, files=files), "загрузка фотографии")
        if isinstance(body, dict) and "error" in body:
            raise _upload_error(body["error"], photo)
        if not isinstance(body, dict) or body.get("photo") in (None, "", "[]"):
            raise SocialError(
                f"ВКонтакте не принял фотографию «{photo.filename}» (пустой ответ сервера "
                "загрузки). Проверьте формат и размер файла.",
                retryable=False,
            )
        return body


def _send(
    client: httpx.Client,
    url: str,
    *,
    data: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    return send(client, url, name="ВКонтакте", data=data, files=files)


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise _unexpected(what) from exc


def _field(value: Any, name: str) -> Any:
    if not isinstance(value, dict) or value.get(name) in (None, ""):
        raise _unexpected(name)
    return value[name]


def _api_error(error: Any) -> SocialError:
    error = error if isinstance(error, dict) else {}
    code = error.get("error_code")
    remote = str(error.get("error_msg", "")).strip()
    message = ERROR_MESSAGES.get(code) if isinstance(code, int) else None
    if message is None:
        message = f"ВКонтакте вернул ошибку (код {code}): {remote or 'без описания'}."
    return SocialError(message, retryable=code in RETRYABLE_CODES)


def _upload_error(error: Any, photo: Photo) -> SocialError:
    detail = error.get("error_msg", error) if isinstance(error, dict) else error
    return SocialError(
        f"ВКонтакте не принял фотографию «{photo.filename}»: {detail}.", retryable=False
    )


def _unexpected(what: str) -> SocialError:
    return SocialError(
        f"ВКонтакте вернул неожиданный ответ ({what}). Публикация будет повторена позже.",
        retryable=True,
    )
