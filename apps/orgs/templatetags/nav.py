from django import template

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
