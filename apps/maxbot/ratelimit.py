"""Client-side rate limits of the MAX Bot API: requests per second overall, messages per chat.

MAX allows about 30 requests a second per bot and at most two messages a second into one dialog,
chat or channel ("при превышении этого лимита сообщения следует ставить в очередь"). Each limit
is a schedule of the next free moment (GCRA with no burst), so sends are spaced evenly and a
sliding one-second window on the server never sees more than the limit. `reserve` either books
a moment (and says how long to wait for it) or, when that moment is too far, books nothing and
says so: the caller defers the message instead of dropping it.

Pure module (no Django); the clock is injected so tests move time without sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Spacing a hair wider than 1/rate keeps float rounding from putting two sends into one window.
_SLACK = 1.001
_PRUNE_AT = 10_000


class RateLimiter:
    def __init__(
        self,
        *,
        per_second: float,
        per_chat_per_second: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.interval = _SLACK / per_second
        self.chat_interval = _SLACK / per_chat_per_second
        self.clock = clock
        self._next = 0.0
        self._chats: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, chat: str | None = None, *, max_wait: float) -> float | None:
        """Book the next free moment for one request (into `chat`, when it is a message).

        Returns the seconds to wait before sending (0.0: now), or None when the moment is more
        than `max_wait` away — nothing is booked then, the caller should try again later.
        """
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            if chat is not None:
                start = max(start, self._chats.get(chat, 0.0))
            wait = start - now
            if wait > max_wait:
                return None
            self._next = start + self.interval
            if chat is not None:
                self._chats[chat] = start + self.chat_interval
                if len(self._chats) > _PRUNE_AT:
                    self._chats = {c: t for c, t in self._chats.items() if t > now}
            return wait

    def wait_for(self, chat: str | None = None) -> float:
        """Seconds until `chat` (or any request) could be sent, without booking."""
        with self._lock:
            now = self.clock()
            start = max(now, self._next, self._chats.get(chat, 0.0) if chat else 0.0)
            return start - now
