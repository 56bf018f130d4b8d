"""Signals of organisations for the apps above (orgs imports none of them)."""

from django.dispatch import Signal

from apps.orgs.choices import OrgKind

# Sent when a school is created, with `school`. An app that keeps per-school defaults
# (dictionaries, Положение limits, programme templates) connects a receiver in its
# AppConfig.ready(), so pages only read them. `manage.py ensure_school_defaults` sends it
# again for existing schools: every receiver must be idempotent.
school_created = Signal()

# Sent inside `services.grant_role`'s transaction with `membership` and `created` (whether the
# account is new): the staff register links the account to the school's record with its e-mail.
role_granted = Signal()


def announce_school(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of Organisation: a new school gets its defaults (not while loading fixtures)."""
    if created and not raw and instance.kind == OrgKind.SCHOOL:
        school_created.send(sender=sender, school=instance)
