"""Use cases of API keys: which roles a user may give a key, create, revoke, authenticate."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from apps.api.models import ApiToken, Scope
from apps.orgs.choices import Role
from apps.orgs.models import Organisation, roles_at
from apps.orgs.permissions import PERMISSIONS, Roles, may_grant, role_allows
from apps.orgs.services import ROLES_BY_KIND

KEY_PREFIX = "nst_"
# last_used_at is refreshed at most this often: no write on every request.
TOUCH_EVERY = datetime.timedelta(minutes=1)


class TokenError(Exception):
    """The key cannot be used; the message is for the API client (in Russian)."""


def permissions_of(roles: Roles) -> set[str]:
    return {perm for perm in PERMISSIONS if role_allows(roles, perm)}


def token_roles(*, org: Organisation, creator_roles: Roles) -> list[str]:
    """Roles a key of `org` may get: the creator's own acting role there or one the creator may
    hand out there (`may_grant`, the rule for users too), and never a permission the creator
    lacks there (a head hands out the curator's role, but a head's key is no curator).
    """
    granted = permissions_of(creator_roles)
    candidates = creator_roles.acting() | set(ROLES_BY_KIND[org.kind])
    return [
        role
        for role in Role.values
        if role in candidates
        and (role in creator_roles.acting() or may_grant(creator_roles, role))
        and permissions_of(Roles(own={role})) <= granted
        and permissions_of(Roles(own={role}))
    ]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(
    *,
    org: Organisation,
    user,
    name: str,
    role: str,
    scope: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a key; returns the token row and the key itself (never stored, shown once)."""
    creator_roles = roles_at(user, org)
    if not role_allows(creator_roles, "api.manage"):
        raise TokenError("Создавать API-ключи этой организации могут только её сотрудники.")
    if role not in token_roles(org=org, creator_roles=creator_roles):
        raise TokenError("Эту роль нельзя выдать ключу: она шире ваших прав в организации.")
    if scope not in Scope.values:
        raise TokenError("Неизвестный вид доступа.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=org,
        name=name,
        role=role,
        scope=scope,
        key_hash=hash_key(key),
        prefix=key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8],
        created_by=user,
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def revoke_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(key: str) -> ApiToken:
    """The token of `key`; raises TokenError (401) for unknown, revoked, expired keys and for
    keys whose creator no longer holds a role that allows the key's role."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        raise TokenError("Неверный API-ключ.")
    token = (
        ApiToken.objects.select_related("organisation", "created_by")
        .filter(key_hash=hash_key(key))
        .first()
    )
    if token is None:
        raise TokenError("Неверный API-ключ.")
    if token.revoked_at is not None:
        raise TokenError("API-ключ отозван.")
    if token.is_expired:
        raise TokenError("Срок действия API-ключа истёк.")
    creator = token.created_by
    if (
        creator is None
        or not creator.is_active
        or token.role
        not in token_roles(
            org=token.organisation, creator_roles=roles_at(creator, token.organisation)
        )
    ):
        raise TokenError("API-ключ больше не действует: у его владельца нет прав на эту роль.")
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
