from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse

from apps.orgs.models import Organisation
from apps.orgs.navigation import menu
from apps.orgs.permissions import Roles, role_allows
from apps.orgs.stages import STAGES

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
def sidebar(context) -> str:
    """`{% sidebar %}` — the menu of apps/orgs/navigation.py at the current organisation, as
    HTML. It depends only on the organisation (its id and kind), the roles there, the current
    page's URL name (and stage) and the script prefix, so each combination is rendered once per
    process and kept (the menu's labels and addresses change only with the code)."""
    org = context.get("current_org")
    if org is None:
        return ""
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.view_name if match else ""
    stage = match.kwargs.get("number") if match and current == "overview:stage-detail" else None
    roles = context.get("current_roles") or Roles()
    return _sidebar_html(
        org.pk, org.kind, roles.own, frozenset(roles), current, stage, get_script_prefix()
    )


@lru_cache(maxsize=4096)
def _sidebar_html(org_pk, kind, own, held, current, stage, prefix) -> str:
    org = Organisation(pk=org_pk, kind=kind)
    sections = [
        {
            "name": section.name,
            "heading": section.heading,
            "links": [
                {
                    "label": link.label,
                    "url": reverse(link.url_name, args=[] if link.personal else [org_pk]),
                    "active": any(current.startswith(p) for p in link.active or [link.url_name]),
                }
                for link in section.links
            ],
        }
        for section in menu(org, Roles(own, held))
    ]
    stages = [
        {
            "number": s.number,
            "title": s.title,
            "url": reverse("overview:stage-detail", args=[org_pk, s.number]),
            "active": s.number == stage,
        }
        for s in STAGES
    ]
    return render_to_string("includes/sidebar_menu.html", {"sections": sections, "stages": stages})


@register.filter
def isodate(value: str | None) -> str:
    """'1999-03-14' → '14.03.1999' for dates kept as ISO strings (import previews)."""
    if not value:
        return "—"
    year, month, day = str(value).split("-")
    return f"{day}.{month}.{year}"
