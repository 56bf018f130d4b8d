"""The journal as a head reads it: names instead of ids, Russian labels instead of codes.

A page of entries is described with one query per kind of object it mentions (people,
accounts, organisations, …), never one per entry. A destroyed person (anonymised register
entry or disabled account) is shown as «обезличено», never by a name, and links go only to
objects that still exist and that the viewer's roles may open.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import localtime

from apps.audit.services import ANONYMISED
from apps.audit.tracked import TRACKED
from apps.orgs.models import Organisation, User
from apps.orgs.permissions import Roles, role_allows

EMPTY = "—"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# Labels written before names were resolved here: «Обработка ПДн (сотрудник № 186)».
STAFF_NUMBER = re.compile(r"сотрудник № (\d+)")
# Fields whose model gives no Russian name (verbose_name left in English).
FIELD_NAMES = {
    "organisation": "организация",
    "user": "пользователь",
    "person": "сотрудник",
    "mentor": "наставник",
    "mentee": "наставляемый",
    "unit": "пара / группа",
    "programme": "ПНП",
    "format": "форма",
    "series": "серия номеров",
    "replaces": "взамен документа",
    "created_by": "кто создал",
    "approved_by": "кто утвердил",
    "recorded_by": "кто внёс",
    "status_changed_by": "кто сменил статус",
    "status_changed_at": "когда сменён статус",
    "is_open": "участвует",
    "order": "порядок",
}
MODEL_LABELS = {
    "people.person": "Сотрудник",
    "people.consent": "Согласие",
    "orgs.membership": "Роль пользователя",
    "programs.mentoringunit": "Пара / группа",
    "programs.unitmember": "Участник пары / группы",
    "programs.programme": "ПНП",
    "programs.task": "Задача ПНП",
    "documents.document": "Документ",
    "documents.signature": "Электронная подпись документа",
    "documents.pepacceptance": "Принятие Положения о простой электронной подписи",
    "documents.signingattempt": "Отказ в подписании",
    "payroll.payrule": "Правило оплаты наставничества",
    "payroll.payregister": "Реестр доплат наставникам",
    "monitoring.monitoringform": "Форма мониторинга",
    "monitoring.formsubmission": "Ответ школы на форму мониторинга",
}


@dataclass(frozen=True)
class Link:
    """Where an entry's object is opened: a permission, a URL name and how to get its ids."""

    permission: str
    url_name: str
    # (model whose row must still exist, attribute of the entry holding its id)
    target: str
    via: str = "object_id"


# The object page of each tracked model (a consent opens its person's card).
LINKS = {
    "people.person": Link("staff.view", "people:person-detail", "people.person"),
    "people.consent": Link("staff.view", "people:person-detail", "people.person", "person_id"),
    "programs.mentoringunit": Link("units.view", "programs:unit-detail", "programs.mentoringunit"),
    "documents.document": Link("documents.view", "documents:detail", "documents.document"),
}


@dataclass
class Row:
    label: str
    before: str
    after: str


@dataclass
class Shown:
    """What the template prints for one entry."""

    model_label: str
    object_label: str
    author: str
    url: str = ""
    rows: list[Row] = field(default_factory=list)


@cache
def _fields(model_label: str) -> dict[str, models.Field]:
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return {}
    return {f.attname: f for f in model._meta.concrete_fields}


def field_label(model_label: str, attname: str) -> str:
    found = _fields(model_label).get(attname)
    if found is None:
        return attname
    name = str(found.verbose_name)
    if CYRILLIC.search(name):
        return name
    return FIELD_NAMES.get(found.name, name)


# --- names of the objects an entry points at, fetched per page -------------------------------


def _person_names(ids) -> dict[int, str]:
    # People sit above the journal: their model is reached by name, never imported.
    rows = (
        apps.get_model("people.person")
        ._base_manager.filter(pk__in=ids)
        .values_list("pk", "last_name", "first_name", "middle_name", "anonymised_at")
    )
    return {
        pk: ANONYMISED if gone else " ".join(p for p in (last, first, middle) if p)
        for pk, last, first, middle, gone in rows
    }


def _user_names(ids) -> dict[int, str]:
    names = {}
    for pk, full_name, email, person_gone in User.objects.filter(pk__in=ids).values_list(
        "pk", "full_name", "email", "person__anonymised_at"
    ):
        gone = person_gone or email.startswith("anonymised-")
        names[pk] = ANONYMISED if gone else (full_name or email)
    return names


def _org_names(ids) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "short_name"))


def _numbered(label: str, prefix: str):
    # A unit's own name joins its people: the number says enough, for the rows still there.
    def names(ids) -> dict[int, str]:
        there = apps.get_model(label)._base_manager.filter(pk__in=ids)
        return {pk: f"{prefix} № {pk}" for pk in there.values_list("pk", flat=True)}

    return names


def _generic(model):
    def names(ids) -> dict[int, str]:
        # Dictionaries (forms of mentoring) and documents name themselves without joins.
        field_name = next(
            (n for n in ("name", "title") if any(f.name == n for f in model._meta.fields)), None
        )
        if field_name is None:
            return {pk: f"№ {pk}" for pk in ids}
        return dict(model._base_manager.filter(pk__in=ids).values_list("pk", field_name))

    return names


def _namer(label: str):
    if label == "people.person":
        return _person_names
    if label == "orgs.user":
        return _user_names
    if label == "orgs.organisation":
        return _org_names
    if label == "programs.mentoringunit":
        return _numbered(label, "пара/группа")
    if label == "programs.programme":
        return _numbered(label, "ПНП")
    return _generic(apps.get_model(label))


# --- values -----------------------------------------------------------------------------------


def _when(value: str) -> str | None:
    moment = parse_datetime(value) if "T" in value else None
    if moment is not None:
        return f"{localtime(moment) if moment.tzinfo else moment:%d.%m.%Y %H:%M}"
    day = parse_date(value) if len(value) == 10 else None
    return f"{day:%d.%m.%Y}" if day else None


def _text(value, found: models.Field | None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if found is not None and found.choices:
        labels = {str(k): str(v) for k, v in found.flatchoices}
        if isinstance(value, list):
            return "; ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):
        return "; ".join(_text(v, None) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v, None)}" for k, v in value.items())
    if isinstance(value, str) and isinstance(
        found, (models.DateField, models.DateTimeField, type(None))
    ):
        return _when(value) or value
    if isinstance(found, models.FileField):
        return value.rsplit("/", 1)[-1]
    return str(value)


def describe(events, roles: Roles) -> list[Shown]:
    """The entries of one page, in order, ready to print."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        fields = _fields(event.model)
        for attname, pair in event.changes.items():
            found = fields.get(attname)
            if found is not None and found.is_relation and (found.many_to_one or found.one_to_one):
                wanted[found.related_model._meta.label_lower].update(
                    v for v in pair if isinstance(v, int)
                )
        link = LINKS.get(event.model)
        if link and role_allows(roles, link.permission):
            value = getattr(event, link.via)
            if value and str(value).isdigit():
                wanted[link.target].add(int(value))
        if event.user_id:
            wanted["orgs.user"].add(event.user_id)
        wanted["people.person"].update(int(n) for n in STAFF_NUMBER.findall(event.object_label))
    names = {label: _namer(label)(ids) for label, ids in wanted.items() if ids}
    shown = []
    for event in events:
        fields = _fields(event.model)
        rows = []
        for attname, (before, after) in event.changes.items():
            found = fields.get(attname)
            rows.append(Row(field_label(event.model, attname), *(
                _value(event.model, attname, found, v, names) for v in (before, after)
            )))  # fmt: skip
        author = event.user_label or EMPTY
        if event.user_id and names.get("orgs.user", {}).get(event.user_id) == ANONYMISED:
            author = ANONYMISED
        label = STAFF_NUMBER.sub(lambda m: _staff(names, m), event.object_label)
        shown.append(Shown(
            MODEL_LABELS.get(event.model, event.model), label or EMPTY, author,
            _url(event, names, roles), rows,
        ))  # fmt: skip
    return shown


def _staff(names, match) -> str:
    return names.get("people.person", {}).get(int(match.group(1)), match.group(0))


def _value(model_label, attname, found, value, names) -> str:
    if found is not None and found.is_relation and isinstance(value, int):
        target = found.related_model._meta.label_lower
        return names.get(target, {}).get(value) or f"№ {value} (удалён)"
    tracked = TRACKED.get(model_label)
    extra = {str(k): str(v) for k, v in tracked.choices.get(attname, ())} if tracked else {}
    if extra and isinstance(value, list):
        return "; ".join(extra.get(str(v), str(v)) for v in value) or EMPTY
    return _text(value, found)


def _url(event, names, roles: Roles) -> str:
    link = LINKS.get(event.model)
    if link is None or not role_allows(roles, link.permission) or not event.organisation_id:
        return ""
    value = getattr(event, link.via)
    if not value or not str(value).isdigit():
        return ""
    name = names.get(link.target, {}).get(int(value))
    if name is None or name == ANONYMISED:
        return ""
    try:
        return reverse(link.url_name, args=[event.organisation_id, int(value)])
    except NoReverseMatch:
        return ""
