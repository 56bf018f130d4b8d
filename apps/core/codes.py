"""One-time confirmation codes: six digits sent to a person, who types them back.

The code itself is never stored, only its keyed hash, bound to what the code confirms (the
row, the document version, the person…): the same digits typed for anything else never
match. A code lives a few minutes and allows a few guesses. Where the hash, the expiry and the
attempts are kept, how the code reaches the person and what it confirms is the app's business
(documents: the simple electronic signature; people: consents in electronic form) — here the
code, its hash and the reasons it is refused.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.core.plural import count

LENGTH = 6


def new_code() -> str:
    """Six random digits, leading zeros kept: «042917»."""
    return f"{secrets.randbelow(10**LENGTH):0{LENGTH}d}"


def minutes_text(minutes: int) -> str:
    """How long a code lives, for a sentence: «действует 10 минут»."""
    return count(minutes, "минуту", "минуты", "минут")


def code_hash(value: str, *parts: object, salt: str) -> str:
    """The keyed hash (HMAC-SHA256 of SECRET_KEY under `salt`) of `value` bound to `parts`.

    The message is the parts and the value joined by «:» — stored hashes depend on it."""
    message = ":".join(str(part) for part in (*parts, value))
    return salted_hmac(salt, message, algorithm="sha256").hexdigest()


def looks_like_code(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) == LENGTH


def matches(stored: str, value: str, *parts: object, salt: str) -> bool:
    """Whether `value` is the code whose hash (with the same parts and salt) is `stored`;
    compared in constant time."""
    return (
        bool(stored)
        and looks_like_code(value)
        and constant_time_compare(stored, code_hash(value, *parts, salt=salt))
    )


@dataclass(frozen=True)
class CodeRules:
    """How one app's codes are hashed and what the person reads when a code does not work."""

    salt: str  # the namespace of the hash: one app's codes never match another's
    expired: str  # the code's time is over
    exhausted: str  # the guesses are used up
    wrong: str  # a wrong code; the attempts left follow
    none_left: str  # instead of the attempts left, after the last wrong guess

    def hash(self, value: str, *parts: object) -> str:
        return code_hash(value, *parts, salt=self.salt)

    def refusal(
        self,
        *,
        stored: str,
        value: str,
        parts: tuple[object, ...],
        expires_at: datetime.datetime | None,
        attempts: int,
        limit: int,
        now: datetime.datetime | None = None,
        also: str | None = None,
    ) -> tuple[str | None, bool]:
        """(why the code is refused, or None when `value` is it; whether it was a wrong guess
        to count).

        `attempts`: the wrong guesses counted so far, `limit` how many are allowed. A code is
        refused for its expiry (a code without one never worked), then for its used-up
        guesses, then for `also` (the caller's own reason, checked only for a live code, such
        as «the document changed since»), and only then compared with `value`."""
        now = now or timezone.now()
        if expires_at is None or expires_at <= now:
            return self.expired, False
        if attempts >= limit:
            return self.exhausted, False
        if also:
            return also, False
        if matches(stored, value, *parts, salt=self.salt):
            return None, False
        left = limit - attempts - 1
        return f"{self.wrong} " + (f"Осталось попыток: {left}." if left else self.none_left), True
