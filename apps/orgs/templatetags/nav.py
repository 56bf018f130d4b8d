from django import template
from django.urls import reverse

from apps.orgs.navigation import menu
from apps.orgs.permissions import Roles, role_allows

register = template.Library()


@register.filter
def allowed(perm: str, roles: Roles | None) -> bool:
    """`{% if 'staff.edit'|allowed:current_roles %}` — the same table the views check."""
    return role_allows(roles or Roles(), perm)


@register.simple_tag(takes_context=True)
def active(context, prefix: str) -> str:
    """'active' when the current URL name starts with `prefix` (an app namespace or a name)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    return "active" if match.view_name.startswith(prefix) else ""


@register.simple_tag(takes_context=True)
def org_menu(context) -> list[dict]:
    """`{% org_menu as sections %}` — the menu of apps/orgs/navigation.py at the current
    organisation: each section's heading and its links (label, address, whether current)."""
    org = context.get("current_org")
    if org is None:
        return []
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.view_name if match else ""
    return [
        {
            "name": section.name,
            "heading": section.heading,
            "links": [
                {
                    "label": link.label,
                    "url": reverse(link.url_name, args=[] if link.personal else [org.pk]),
                    "active": any(current.startswith(p) for p in link.active or [link.url_name]),
                }
                for link in section.links
            ],
        }
        for section in menu(org, context.get("current_roles") or Roles())
    ]


@register.simple_tag(takes_context=True)
def active_stage(context, number: int) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    if (
        match
        and match.view_name == "overview:stage-detail"
        and match.kwargs.get("number") == number
    ):
        return "active"
    return ""


@register.filter
def isodate(value: str | None) -> str:
    """'1999-03-14' → '14.03.1999' for dates kept as ISO strings (import previews)."""
    if not value:
        return "—"
    year, month, day = str(value).split("-")
    return f"{day}.{month}.{year}"
