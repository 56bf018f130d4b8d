"""Personal links: a signed key naming one object and the version of its link.

A person without an account opens their survey invitation or answers an event invitation by
such a link. The key cannot be forged or guessed; bumping the object's version makes every
earlier key stop working. What the object is, how long its link lasts and what it opens is the
app's business (surveys, events) — here only the signing.
"""

from __future__ import annotations

from django.core import signing


def sign_link(pk: int, version: int, *, salt: str) -> str:
    """The key of a personal link to object `pk`, version `version`, in namespace `salt`."""
    return signing.dumps([pk, version], salt=salt)


def read_link(token: str, *, salt: str, bare_version: int | None = None) -> tuple[int, int] | None:
    """(pk, version) of a key made by `sign_link` in namespace `salt`; None for a forged key.

    `bare_version`: keys made before links had versions signed the bare pk; they read as that
    version (None refuses them).
    """
    try:
        value = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    if _is_int(value) and bare_version is not None:
        return value, bare_version
    if isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value):
        return value[0], value[1]
    return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
