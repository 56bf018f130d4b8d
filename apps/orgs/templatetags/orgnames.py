"""`{{ org|name_in:"dat" }}` — the organisation's full name in a case, for print forms."""

from django import template

register = template.Library()


@register.filter
def name_in(org, case: str) -> str:
    return org.name_in(case)


@register.filter
def head_addressee(org) -> str:
    """«Директору Муниципального … «Школа № 1» Е. В. Морозовой» — the header of an application
    to the employer."""
    from apps.core.declension import Case, decline_name, decline_position, guess_gender

    position = (org.head_position or "Директор").strip()
    to_position = decline_position(position[:1].lower() + position[1:], Case.DATIVE).text
    words = (org.head_name or "").split()
    head = ""
    if len(words) >= 3:
        gender = guess_gender(words[2])
        last = decline_name(words[0], words[1], words[2], gender, Case.DATIVE).text.split()[0]
        head = f"{words[1][0]}.\u00a0{words[2][0]}.\u00a0{last}" if gender else org.head_name
    return f"{to_position[:1].upper()}{to_position[1:]} {org.name_in('gen')} {head}".strip()
