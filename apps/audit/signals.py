"""Model signals that feed the journal for every tracked model."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from apps.audit.models import Action
from apps.audit.services import diff, record, snapshot, stored


def _before(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._audit_before = stored(instance)


def _after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = None if created else getattr(instance, "_audit_before", None)
    changes = diff(before, snapshot(instance))
    if created or changes:
        record(Action.CREATE if created else Action.UPDATE, instance, changes)


def _deleted(sender, instance, **kwargs):
    record(Action.DELETE, instance, diff(snapshot(instance), None))


def connect_model(label: str) -> None:
    model = apps.get_model(label)
    uid = f"audit-{label}"
    pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-del")
