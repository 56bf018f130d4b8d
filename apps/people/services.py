"""Use cases of the staff register. Consents and imports have their own modules below."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.orgs.models import Organisation
from apps.orgs.services import grant_role
from apps.people.choices import PersonStatus
from apps.people.models import Person, Subject


def resolve_subjects(names: Iterable[str]) -> dict[str, Subject]:
    """Subjects by case-insensitive name, creating the missing ones. Two queries at most."""
    wanted = {n.strip().lower(): n.strip() for n in names if n and n.strip()}
    found = {s.name.lower(): s for s in Subject.objects.filter(name__in=wanted.values())}
    # Case variants ("математика") should map to an existing "Математика".
    missing = {k: v for k, v in wanted.items() if k not in found}
    if missing:
        for subject in Subject.objects.all():
            found.setdefault(subject.name.lower(), subject)
        to_create = [
            Subject(name=v[:1].upper() + v[1:]) for k, v in missing.items() if k not in found
        ]
        if to_create:
            Subject.objects.bulk_create(to_create, ignore_conflicts=True)
            for subject in Subject.objects.filter(name__in=[s.name for s in to_create]):
                found[subject.name.lower()] = subject
    return {k: found[k] for k in wanted if k in found}


@transaction.atomic
def save_person(
    *, person: Person, organisation: Organisation, subject_names: list[str], level_codes: list[str]
) -> Person:
    """Create or update a register entry with its subjects and levels."""
    person.organisation = organisation
    person.levels = ",".join(level_codes)
    if person.status == PersonStatus.ARCHIVED and person.archived_at is None:
        person.archived_at = timezone.now()
    if person.status != PersonStatus.ARCHIVED:
        person.archived_at = None
    person.save()
    person.subjects.set(resolve_subjects(subject_names).values())
    return person


@transaction.atomic
def archive_person(*, person: Person) -> None:
    """Move a person who left the school to the archive; their history and documents stay."""
    person.status = PersonStatus.ARCHIVED
    person.archived_at = timezone.now()
    person.save(update_fields=["status", "archived_at", "updated_at"])


@transaction.atomic
def restore_person(*, person: Person) -> None:
    person.status = PersonStatus.ACTIVE
    person.archived_at = None
    person.save(update_fields=["status", "archived_at", "updated_at"])


@transaction.atomic
def invite_person(*, person: Person, role: str, request=None) -> bool:
    """Give the person a login with `role` at their school; link the account to the register.

    Side effects: creates the account and e-mails a password link if the e-mail is new.
    Returns whether an account was created.
    """
    membership, created = grant_role(
        org=person.organisation,
        email=person.email,
        role=role,
        full_name=person.full_name,
        request=request,
    )
    if person.user_id != membership.user_id:
        person.user = membership.user
        person.save(update_fields=["user", "updated_at"])
    return created
