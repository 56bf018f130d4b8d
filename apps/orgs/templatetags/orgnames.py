"""`{{ org|name_in:"dat" }}` — the organisation's full name in a case, for print forms."""

from django import template

register = template.Library()


@register.filter
def name_in(org, case: str) -> str:
    return org.name_in(case)
