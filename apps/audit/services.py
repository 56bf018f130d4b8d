"""Writing the journal: changes of tracked models (signals), card views, anonymisation."""

from __future__ import annotations

import datetime
import decimal
import logging

from django.db import models

from apps.audit.context import client_ip, current_request
from apps.audit.models import Action, AuditEvent
from apps.audit.tracked import SKIPPED_FIELDS, TRACKED
from apps.orgs.models import Organisation

log = logging.getLogger(__name__)
ANONYMISED = "обезличено"


def label_of(instance: models.Model) -> str:
    return instance._meta.label_lower


def field_names(instance: models.Model) -> list[str]:
    return [
        f.attname
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in SKIPPED_FIELDS
    ]


def plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict:
    return {name: plain(getattr(instance, name)) for name in field_names(instance)}


def stored(instance: models.Model) -> dict | None:
    if instance.pk is None:
        return None
    row = type(instance)._base_manager.filter(pk=instance.pk).values(*field_names(instance))
    found = row.first()
    return {k: plain(v) for k, v in found.items()} if found else None


def diff(old: dict | None, new: dict | None) -> dict:
    old, new = old or {}, new or {}
    changes = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before != after and not (before in (None, "") and after in (None, "")):
            changes[key] = [before, after]
    return changes


def _who(request) -> tuple:
    if request is None:
        return None, "система", None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None, "аноним", client_ip(request)
    label = user.email if not user.full_name else f"{user.full_name} ({user.email})"
    return user, label, client_ip(request)


def record(action: str, instance: models.Model, changes: dict | None = None) -> None:
    tracked = TRACKED[label_of(instance)]
    try:
        org_id = tracked.org_id(instance)
        person_id = tracked.person_id(instance)
        object_label = str(tracked.label(instance))[:300]
    except Exception:
        log.exception("audit: cannot describe %s %s", label_of(instance), instance.pk)
        org_id, person_id, object_label = None, None, f"№ {instance.pk}"
    _write(action, label_of(instance), instance.pk, object_label, org_id, person_id, changes)


def _write(action, model, object_id, object_label, org_id, person_id, changes) -> None:
    user, user_label, ip = _who(current_request.get())
    path = ""
    if org_id:
        path = Organisation.objects.filter(pk=org_id).values_list("path", flat=True).first() or ""
    AuditEvent.objects.create(
        user=user, user_label=user_label[:300], organisation_id=org_id if path else None,
        org_path=path, action=action, model=model, object_id=str(object_id or ""),
        object_label=object_label, person_id=person_id, changes=changes or {}, ip=ip,
    )  # fmt: skip


def log_card_view(request, person) -> None:
    """A person's card opened by someone else (their own card is not logged)."""
    if person.user_id and person.user_id == request.user.pk:
        return
    _write(
        Action.VIEW, "people.person", person.pk, person.full_name, person.organisation_id,
        person.pk, {},
    )  # fmt: skip


def log_import(batch) -> None:
    """A staff file applied in bulk: one entry with its counts (rows are not logged one by one)."""
    _write(
        Action.IMPORT, "people.person", "", f"Файл «{batch.file_name}»", batch.organisation_id,
        None, {"новых": [None, batch.created_count], "обновлено": [None, batch.updated_count]},
    )  # fmt: skip


def redact_person(person) -> int:
    """Anonymisation reaches the journal: earlier entries about the person keep who/when/what,
    but lose the values and the name; entries the person made keep the account but not the
    name written as their author."""
    count = AuditEvent.objects.filter(person_id=person.pk).update(
        changes={}, object_label=ANONYMISED
    )
    if person.user_id:
        AuditEvent.objects.filter(user_id=person.user_id).update(user_label=ANONYMISED)
    _write(
        Action.ANONYMISE, "people.person", person.pk, ANONYMISED, person.organisation_id,
        person.pk, {},
    )  # fmt: skip
    return count
