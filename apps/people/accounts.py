"""Linking login accounts (orgs.User) with staff records (Person) of a school.

The link is made by itself when it is certain: an account given a role at a school and the one
staff record of that school with the same e-mail (whichever of the two comes first). When it is
not certain — several records with that e-mail, or only the name matches — the staff card and
the users page offer the match and the curator confirms it (`link_account`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from apps.orgs.models import Organisation, User
from apps.people.choices import PersonStatus
from apps.people.models import Person
from apps.people.normalize import name_key


class LinkRefused(Exception):
    """The account and the staff record cannot be linked; the message is for the user."""


def _free_people(org: Organisation):
    """Staff records of `org` that may take an account: current, not anonymised, unlinked."""
    return (
        Person.objects.of(org)
        .exclude(status=PersonStatus.ARCHIVED)
        .filter(user__isnull=True, anonymised_at__isnull=True)
    )


def _free_accounts(org: Organisation):
    """Active accounts with a role at `org` and no staff record yet."""
    return User.objects.filter(
        memberships__organisation=org, is_active=True, person__isnull=True
    ).distinct()


def _key_of_full_name(full_name: str) -> str:
    words = full_name.split()
    return name_key(*([*words, "", "", ""])[:3]) if len(words) >= 2 else ""


@transaction.atomic
def link_by_email(*, user: User, org: Organisation) -> Person | None:
    """An account got a role at `org`: link it to the one free staff record with its e-mail.

    Side effects: sets Person.user when exactly one record matches. Returns the person linked.
    """
    if not org.is_school or Person.objects.filter(user=user).exists():
        return None
    matches = list(_free_people(org).filter(email__iexact=user.email)[:2])
    if len(matches) != 1:
        return None
    person = matches[0]
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person


@transaction.atomic
def link_people_by_email(*, org: Organisation, person_ids: list[int] | None = None) -> int:
    """Staff records were created or imported: link each free one (of `person_ids`, or all)
    to the free account with its e-mail that has a role at `org`, when no other free record
    of `org` has that e-mail. Three queries at most.

    Side effects: sets Person.user. Returns how many records were linked.
    """
    by_email: dict[str, list[int]] = {}
    for pk, email in _free_people(org).exclude(email="").values_list("pk", "email"):
        by_email.setdefault(email.lower(), []).append(pk)
    wanted = {
        email: pks[0]
        for email, pks in by_email.items()
        if len(pks) == 1 and (person_ids is None or pks[0] in person_ids)
    }
    if not wanted:
        return 0
    linked = 0
    for user in (
        _free_accounts(org).annotate(address=Lower("email")).filter(address__in=list(wanted))
    ):
        Person.objects.filter(pk=wanted[user.email.lower()]).update(user=user)
        linked += 1
    return linked


def account_matches(person: Person) -> list[User]:
    """Accounts the curator may link to this staff record: free accounts with a role at its
    school whose e-mail or full name is the record's (a name alone is only a suggestion)."""
    if person.user_id or person.anonymised_at:
        return []
    condition = Q(full_name__icontains=person.last_name)
    if person.email:
        condition |= Q(email__iexact=person.email)
    candidates = _free_accounts(person.organisation).filter(condition)
    return [
        user
        for user in candidates.order_by("email")
        if (person.email and user.email.lower() == person.email.lower())
        or _key_of_full_name(user.full_name) == person.name_key
    ]


def person_matches(user: User, org: Organisation) -> list[Person]:
    """Staff records of `org` the curator may link to this account: free records with its
    e-mail or its full name."""
    if not org.is_school or Person.objects.filter(user=user).exists():
        return []
    condition = Q(email__iexact=user.email)
    key = _key_of_full_name(user.full_name)
    if key:
        condition |= Q(name_key=key)
    return list(_free_people(org).filter(condition).order_by("last_name", "first_name", "pk"))


@transaction.atomic
def link_account(*, person: Person, user: User) -> Person:
    """The curator confirms that the account is this staff record's.

    Raises LinkRefused, changing nothing, when either is linked already, the record is archived
    or anonymised, or the account has no role at the record's school.
    Side effects: sets Person.user.
    """
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    if person.user_id:
        raise LinkRefused(f"У сотрудника {person.full_name} уже есть учётная запись.")
    if person.anonymised_at or person.status == PersonStatus.ARCHIVED:
        raise LinkRefused("Сотрудник в архиве или его данные обезличены: связать нельзя.")
    if Person.objects.filter(user=user).exists():
        raise LinkRefused(f"Учётная запись {user.email} уже связана с другим сотрудником.")
    if not user.memberships.filter(organisation=person.organisation).exists():
        raise LinkRefused(
            f"У учётной записи {user.email} нет роли в организации "
            f"«{person.organisation.short_name}»: сначала назначьте роль."
        )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person
