"""The channels a notification is delivered through, and their registry.

A channel is an object with a ``code``, a Russian ``label``, ``available_for(user)`` (may this user
get messages through it: e.g. an e-mail address is known, a MAX account is linked) and
``send(message)``. ``send`` raises ``DeliveryError`` for a temporary failure (the delivery task
retries with back-off) and ``PermanentDeliveryError`` when retrying cannot help (the bot is blocked,
the user unlinked the account): the delivery is recorded as failed and not retried.

Channels are registered in an ``AppConfig.ready()``: the notification centre registers the in-app
and e-mail channels, higher apps (the MAX bot, Telegram) register theirs the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class DeliveryError(Exception):
    """A temporary failure: the delivery is retried with back-off."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help (bot blocked, user unlinked): recorded, not retried."""


@dataclass(frozen=True)
class Message:
    """What a channel sends: already rendered Russian text, absolute links."""

    recipient_id: int
    kind: str
    title: str
    text: str
    url: str  # absolute
    actions: tuple[tuple[str, str], ...] = ()  # (Russian label, absolute url) quick-action buttons
    key: str = ""


class Channel(Protocol):
    code: str
    label: str

    def available_for(self, user) -> bool: ...

    def send(self, message: Message) -> None: ...


_CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    """Add ``channel`` to the registry (a second registration of the same code replaces it)."""
    _CHANNELS[channel.code] = channel


def channels() -> dict[str, Channel]:
    """The registered channels by code, in registration order."""
    return dict(_CHANNELS)
