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
