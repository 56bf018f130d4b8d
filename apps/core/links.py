"""Personal links: a signed key naming one row and the version of its link. Pure (Django's
signing only).

A key cannot be forged or guessed; bumping the row's version (a reissued link) makes every
older key stop opening. Surveys' invitations and electronic consents use it.
"""

from __future__ import annotations

from django.core import signing


def link_key(salt: str, pk: int, version: int) -> str:
    return signing.dumps([pk, version], salt=salt)


def parse_link_key(salt: str, key: str) -> tuple[int, int] | None:
    """(pk, version) from a key signed with `salt`; None for a forged or foreign one."""
    try:
        value = signing.loads(key, salt=salt)
    except signing.BadSignature:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return value[0], value[1]
    return None
