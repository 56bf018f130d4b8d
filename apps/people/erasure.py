"""How the destruction of a person's data reaches the apps built on top of the register.

`destroy_withdrawn_data` sends `person_data_destroyed` inside its transaction, before the
register row loses the name. Every app that keeps something about people answers with an
`Erased`: the lines it adds to the act (what it destroyed, what it kept and on which basis).
The receivers run in INSTALLED_APPS order, so the act reads the same every time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import Signal

from apps.people.redaction import NameForms, redact

# Sent with `person` (still named) and `forms` (its NameForms); receivers return an Erased.
person_data_destroyed = Signal()


@dataclass(frozen=True)
class Erased:
    destroyed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


def counted(label: str, count: int) -> tuple[str, ...]:
    """One act line «label (count)», or none when nothing was there."""
    return (f"{label} ({count})",) if count else ()


def scrub_texts(rows: Iterable, fields: Iterable[str], forms: NameForms) -> int:
    """Take the person's name out of `fields` of every row (a queryset); returns rows changed.

    Writes with queryset.update(), so model signals (the journal among them) never copy the
    old text anywhere."""
    fields = tuple(fields)
    changed = 0
    for row in rows:
        values = {f: redact(getattr(row, f), forms) for f in fields}
        values = {f: v for f, v in values.items() if v != getattr(row, f)}
        if values:
            type(row).objects.filter(pk=row.pk).update(**values)
            changed += 1
    return changed


def redact_json(value, forms: NameForms):
    """The same JSON with the name taken out of every string in it."""
    if isinstance(value, str):
        return redact(value, forms)
    if isinstance(value, list):
        return [redact_json(v, forms) for v in value]
    if isinstance(value, dict):
        return {k: redact_json(v, forms) for k, v in value.items()}
    return value


def delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the destruction is committed (a rollback keeps it)."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))
