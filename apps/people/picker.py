"""Choosing people from a register of any size: the checked ones plus a search box (HTMX).

A form lists only the people already chosen; typing in the box asks `people:person-search` for
at most `FOUND_LIMIT` matches, and a click adds one as a checked box. With 19 000 staff the news
photo page and the new-survey page stay small instead of carrying every person of the register.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse

from apps.orgs.models import Organisation
from apps.orgs.params import ModelMultipleChoiceField, int_or_none, search_text
from apps.people.choices import PersonStatus
from apps.people.models import Person
from apps.people.normalize import name_key

FOUND_LIMIT = 20
SAFE_NAME = re.compile(r"[a-z][a-z0-9_-]{0,60}")  # field names and element ids we echo back

# Which people a picker may offer; the form's field uses the same queryset to validate.
SCOPES: dict[str, Callable[[Organisation], object]] = {
    "current": lambda org: Person.objects.within(org).current(),
    "active": lambda org: Person.objects.within(org).filter(status=PersonStatus.ACTIVE),
}


def scope_people(org: Organisation, scope: str):
    return SCOPES[scope](org)


def search_people(people, query: str):
    """People whose name or position contains `query`, by name: FOUND_LIMIT and one more, so
    the caller knows whether there are more."""
    query = search_text(query)
    if not query:
        return []
    key = name_key(query, "", "")
    found = people.filter(Q(name_key__contains=key) | Q(position__icontains=query))
    return list(found.order_by("last_name", "first_name", "pk")[: FOUND_LIMIT + 1])


class PersonPicker(forms.Widget):
    """Checkboxes of the chosen people only, and a search box that adds more."""

    template_name = "people/widgets/person_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset = Person.objects.none()
        self.search_url = ""

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an unticked box sends nothing, like CheckboxSelectMultiple

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, list | tuple | set) else [value]
        return [str(getattr(v, "pk", v)) for v in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = {int_or_none(v) for v in context["widget"]["value"]} - {None}
        chosen = self.queryset.filter(pk__in=ids).order_by("last_name", "first_name", "pk")
        context["widget"]["chosen"] = list(chosen) if ids else []
        context["widget"]["search_url"] = self.search_url
        return context


def person_picker(**kwargs) -> ModelMultipleChoiceField:
    """The form field; `bind_picker` gives it its organisation in the form's __init__."""
    return ModelMultipleChoiceField(
        queryset=Person.objects.none(), required=False, widget=PersonPicker(), **kwargs
    )


def bind_picker(field: ModelMultipleChoiceField, *, org: Organisation, scope: str) -> None:
    """Limit `field` to the people of `scope` in `org` and point its search box at them.

    The box sends the field's name and element id too (hx-vals), so the found people are
    added under that name into that field, whatever the form's prefix.
    """
    people = scope_people(org, scope)
    field.queryset = people
    field.widget.queryset = people
    query = urlencode({"scope": scope})
    field.widget.search_url = reverse("people:person-search", args=[org.pk]) + "?" + query
