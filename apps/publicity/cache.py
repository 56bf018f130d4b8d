"""Public pages are served from the shared cache; any change of what they show bumps a version.

Every organisation has a version number in the cache; a page's key includes the versions of the
organisation and (for pages above schools) nothing else is needed: a change in a school bumps
the school and every organisation above it. `PUBLIC_CACHE_SECONDS` bounds how stale derived
figures (e.g. the roadmap's progress, which follows units and surveys) can get.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from apps.orgs.models import Organisation
from apps.publicity import a11y


def _key(org_id: int) -> str:
    return f"publicity:version:{org_id}"


def version(org_id: int) -> int:
    value = cache.get(_key(org_id))
    if value is None:
        value = 1
        cache.add(_key(org_id), value, None)
    return value


def bump(org: Organisation | None) -> None:
    """Invalidate the pages of `org` and of every organisation above it."""
    if org is None:
        return
    for pk in (int(part) for part in org.path.strip("/").split("/") if part):
        try:
            cache.incr(_key(pk))
        except ValueError:
            cache.set(_key(pk), 2, None)


def bump_id(org_id: int | None) -> None:
    if org_id:
        bump(Organisation.objects.filter(pk=org_id).only("pk", "path").first())


def page_key(org_id: int, name: str, *parts) -> str:
    tail = ":".join(str(p) for p in parts)
    return f"publicity:page:{org_id}:{version(org_id)}:{name}:{tail}"


def request_key(request: HttpRequest, name: str, slug: str, kwargs: dict) -> str | None:
    """The key of page `name` (its URL arguments `slug` and `kwargs`) as `request` asks for it:
    the organisation's version, the arguments, the page number and the a11y settings. None when
    no page is open at `slug`. A warm cache answers without a query."""
    org_id = published_id(slug)
    if org_id is None:
        return None
    settings = a11y.parse(request.COOKIES.get(a11y.COOKIE))
    return page_key(
        org_id, name, *kwargs.values(), request.GET.get("page", ""),
        a11y.serialise(settings) if settings else "",
    )  # fmt: skip


def _slug_key(slug: str) -> str:
    return f"publicity:slug:{slug}"


def published_id(slug: str) -> int | None:
    """The organisation whose page is open at `slug`, from the cache (no query on a hit)."""
    value = cache.get(_slug_key(slug))
    if value is None:
        value = (
            Organisation.objects.filter(slug=slug, public_page__is_published=True)
            .values_list("pk", flat=True)
            .first()
        ) or 0
        cache.set(_slug_key(slug), value, seconds())
    return value or None


def forget_slug(slug: str) -> None:
    cache.delete(_slug_key(slug))


def seconds() -> int:
    return settings.PUBLIC_CACHE_SECONDS
