"""One small interface for every social network a school posts to.

A connector turns an `Outgoing` post into HTTP calls to the network's API and returns where the
post landed, or raises `SocialError` with a Russian message for the curator and whether trying
again later can help (rate limits, server errors, timeouts) or not (a wrong token, a banned
group). Adding a network (e.g. MAX) is one module with one class registered in `CONNECTORS`.

Connectors know nothing about Django models: the task in `apps.publicity.delivery` reads the
account and the post, builds these values and records the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import httpx


@dataclass(frozen=True)
class Photo:
    filename: str
    content: bytes
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class Outgoing:
    title: str
    text: str  # plain text, paragraphs separated by blank lines
    link: str  # absolute address of the post on the school's public page
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True)
class Credentials:
    target: str  # VK community id, OK group id, Telegram chat id or @channel
    token: str  # community / group access token, or the Telegram bot token
    extra: dict[str, str] = field(default_factory=dict)  # e.g. OK application keys


@dataclass(frozen=True)
class Published:
    remote_id: str
    url: str = ""


class SocialError(Exception):
    """The network refused or failed. `message` is shown to the curator as it is."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after


class Connector(Protocol):
    network: str  # "vk", "ok", "telegram"
    label: str  # «ВКонтакте»
    target_label: str  # what `Credentials.target` is, for the settings form
    extra_fields: tuple[tuple[str, str], ...]  # (key, Russian label) of `Credentials.extra`

    def publish(
        self, creds: Credentials, post: Outgoing, *, base_url: str, client: httpx.Client
    ) -> Published: ...


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def raise_for_status(response: httpx.Response, name: str) -> None:
    """429 and 5xx are temporary (tried again later); other 4xx are final."""
    code = response.status_code
    if code == 429 or code >= 500:
        raise SocialError(
            f"{name}: сервис временно недоступен (HTTP {code}). Публикация будет повторена позже.",
            retryable=True,
            retry_after=retry_after(response),
        )
    if code >= 400:
        raise SocialError(f"{name}: запрос отклонён (HTTP {code}).", retryable=False)


def send(
    client: httpx.Client,
    url: str,
    *,
    name: str,
    data: dict[str, str] | None = None,
    files=None,
    check_status: bool = True,
) -> httpx.Response:
    """POST to a network's API; timeouts and connection failures are temporary."""
    try:
        response = client.post(url, data=data, files=files)
    except httpx.TimeoutException as exc:
        raise SocialError(
            f"{name}: сервер не ответил вовремя. Публикация будет повторена позже.",
            retryable=True,
        ) from exc
    except httpx.TransportError as exc:
        raise SocialError(
            f"{name}: не удалось соединиться с сервером. Публикация будет повторена позже.",
            retryable=True,
        ) from exc
    if check_status:
        raise_for_status(response, name)
    return response
