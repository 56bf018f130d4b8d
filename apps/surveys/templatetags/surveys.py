from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`answers|lookup:question.pk` — a dict entry by a variable key (None when missing)."""
    if not mapping:
        return None
    return mapping.get(key, mapping.get(str(key)) if isinstance(key, int) else None)


@register.filter
def contains(values, item) -> bool:
    return bool(values) and item in values


@register.filter
def as_str(value) -> str:
    return "" if value is None else str(value)
