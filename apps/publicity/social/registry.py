"""The networks a school can post to, by their short name."""

from __future__ import annotations

from apps.publicity.social.base import Connector
from apps.publicity.social.max import MaxConnector
from apps.publicity.social.ok import OkConnector
from apps.publicity.social.telegram import TelegramConnector
from apps.publicity.social.vk import VkConnector

CONNECTORS: dict[str, Connector] = {
    connector.network: connector
    for connector in (VkConnector(), OkConnector(), TelegramConnector(), MaxConnector())
}

NETWORK_CHOICES: list[tuple[str, str]] = [
    (network, connector.label) for network, connector in CONNECTORS.items()
]


def get_connector(network: str) -> Connector:
    """The connector of `network`; `KeyError` for a network nobody implemented."""
    try:
        return CONNECTORS[network]
    except KeyError:
        raise KeyError(f"Unknown social network: {network!r}") from None
