"""The configured bot: one `MaxApi` on the settings, one rate limiter for the whole process."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from apps.maxbot.api import MaxApi
from apps.maxbot.ratelimit import RateLimiter

STUB_HOSTS = ("127.0.0.1", "localhost", "max.stub")

_lock = threading.Lock()
_client: httpx.Client | None = None
_limiter: RateLimiter | None = None
sleep = time.sleep  # replaced in tests by a clock that moves without waiting


def configured() -> bool:
    return bool(settings.MAX_BOT_TOKEN.strip())


def is_stub() -> bool:
    """The demo talks to the local stub (`manage.py max_stub`): nothing reaches MAX."""
    return urlsplit(settings.MAX_API_URL).hostname in STUB_HOSTS


def http_client() -> httpx.Client:
    """The shared HTTP client (connection pool); tests return the stub's client instead."""
    global _client
    with _lock:
        if _client is None:
            _client = httpx.Client(timeout=settings.MAX_TIMEOUT_SECONDS)
        return _client


def limiter() -> RateLimiter:
    global _limiter
    with _lock:
        if _limiter is None:
            _limiter = RateLimiter(
                per_second=settings.MAX_REQUESTS_PER_SECOND,
                per_chat_per_second=settings.MAX_MESSAGES_PER_CHAT_PER_SECOND,
            )
        return _limiter


def reset() -> None:
    """Forget the shared client and limiter (tests; a changed setting)."""
    global _client, _limiter
    with _lock:
        _client, _limiter = None, None


def api() -> MaxApi:
    return MaxApi(
        http_client(),
        token=settings.MAX_BOT_TOKEN,
        base_url=settings.MAX_API_URL,
        limiter=limiter(),
        sleep=lambda seconds: sleep(seconds),
    )
