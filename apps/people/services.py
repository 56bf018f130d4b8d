"""Use cases of the staff register. Consents and imports have their own modules below."""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Field
from django.utils import timezone

from apps.audit.services import log_import
from apps.orgs.models import Organisation
from apps.orgs.services import grant_role
from apps.people.accounts import link_people_by_email
from apps.people.choices import Category, PersonStatus
from apps.people.importing import looks_young, match_existing, parse_staff_file
from apps.people.models import ImportBatch, ImportStatus, Person, Subject


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
    """Create or update a register entry with its subjects and levels.

    Side effects: a record without an account is linked to the account with its e-mail that
    has a role at the school (`accounts.link_people_by_email`)."""
    person.organisation = organisation
    person.levels = ",".join(level_codes)
    if person.status == PersonStatus.ARCHIVED and person.archived_at is None:
        person.archived_at = timezone.now()
    if person.status != PersonStatus.ARCHIVED:
        person.archived_at = None
    person.save()
    person.subjects.set(resolve_subjects(subject_names).values())
    if (
        not person.user_id
        and person.email
        and link_people_by_email(org=organisation, person_ids=[person.pk])
    ):
        person.refresh_from_db(fields=["user"])
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
def invite_person(*, person: Person, role: str, actor, request=None) -> bool:
    """`actor` gives the person a login with `role` at their school; links the account to the
    register. Raises RoleError (apps.orgs.services) when `actor` may not give that role.

    Side effects: creates the account and e-mails a password link if the e-mail is new.
    Returns whether an account was created.
    """
    membership, created = grant_role(
        org=person.organisation,
        actor=actor,
        email=person.email,
        role=role,
        full_name=person.full_name,
        request=request,
    )
    if person.user_id != membership.user_id:
        person.user = membership.user
        person.save(update_fields=["user", "updated_at"])
    return created


def preview_import(*, org: Organisation, user, file_name: str, data: bytes) -> ImportBatch:
    """Check a staff file and keep the result as a batch waiting for confirmation.

    Raises StaffFileError when the file cannot be read. Side effects: one ImportBatch row.
    Each clean row is marked "create" or "update" against the school's current register.
    """
    today = timezone.localdate()
    parsed = parse_staff_file(
        data=data, file_name=file_name, max_rows=settings.STAFF_IMPORT_MAX_ROWS, today=today
    )
    targets, problems = match_existing(parsed.rows, _register_keys(org, parsed.rows))
    parsed.problems.extend(problems)
    parsed.problems.sort(key=lambda p: p["row"] or 0)
    for row, pk in zip(parsed.rows, targets, strict=True):
        row["action"] = "create" if pk is None else "update"
    return ImportBatch.objects.create(
        organisation=org,
        uploaded_by=user,
        file_name=file_name[:255],
        status=ImportStatus.FAILED if parsed.problems else ImportStatus.PREVIEW,
        row_count=parsed.row_count,
        problems=parsed.problems,
        rows=parsed.rows if not parsed.problems else [],
    )


def _register_keys(org: Organisation, rows: list[dict]) -> list[tuple[int, str, str | None]]:
    """(pk, name_key, ISO birth date) of the school's people who may match the rows."""
    keys = {row["name_key"] for row in rows}
    people = Person.objects.of(org)
    if len(keys) <= 500:  # a big file compares with the whole school: no huge IN (...) lists
        people = people.filter(name_key__in=keys)
    return [
        (pk, key, birth.isoformat() if birth else None)
        for pk, key, birth in people.values_list("pk", "name_key", "birth_date").order_by("pk")
    ]


PERSON_IMPORT_FIELDS = [
    "last_name",
    "first_name",
    "middle_name",
    "gender",
    "birth_date",
    "position",
    "levels",
    "teaching_experience",
    "org_experience",
    "category",
    "mentor_title_since",
    "hired_on",
    "education",
    "is_young_specialist",
    "email",
    "phone",
    "personnel_number",
]


class ImportNotAllowed(Exception):
    """The batch cannot be applied (already applied, has problems); the message is for users."""


@transaction.atomic
def apply_import(*, batch: ImportBatch) -> ImportBatch:
    """Save every row of a checked batch in one transaction: new people and updates.

    Re-import matches people on normalised ФИО + birth date, so nobody is duplicated.
    Empty cells never wipe existing data (an empty category or «молодой специалист» too).
    Side effects: Person rows, subjects, the batch status; records are linked to the accounts
    with their e-mails that have a role at the school.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.APPLIED:
        raise ImportNotAllowed(
            f"Файл «{batch.file_name}» уже загружен "
            f"{timezone.localtime(batch.applied_at):%d.%m.%Y %H:%M}: второй раз его применить "
            "нельзя. Чтобы обновить данные, загрузите файл заново."
        )
    if batch.status != ImportStatus.PREVIEW:
        raise ImportNotAllowed(
            f"В файле «{batch.file_name}» есть ошибки ({len(batch.problems)}), поэтому ничего "
            "не сохранено. Исправьте файл и загрузите его заново."
        )
    org = batch.organisation
    # The register may have changed since the preview: match again against its current state.
    targets, problems = match_existing(batch.rows, _register_keys(org, batch.rows))
    if problems:
        raise ImportNotAllowed(
            f"Реестр изменился после проверки файла «{batch.file_name}»: "
            f"строка {problems[0]['row']} — {problems[0]['message']}. Загрузите файл заново."
        )
    existing = Person.objects.in_bulk([pk for pk in targets if pk is not None])
    today = timezone.localdate()
    to_create: list[Person] = []
    to_update: list[Person] = []
    subjects_by_person: list[tuple[Person, list[str]]] = []
    for row, pk in zip(batch.rows, targets, strict=True):
        values = _person_values(row)
        person = existing.get(pk)
        if person is None:
            values["category"] = values["category"] or Category.NONE
            if values["is_young_specialist"] is None:
                values["is_young_specialist"] = looks_young(row, today)
            person = Person(organisation=org, name_key=row["name_key"], **values)
            to_create.append(person)
        else:
            for name, value in values.items():
                if value not in (None, ""):  # an empty cell never wipes what is known
                    setattr(person, name, value)
            if person.status == PersonStatus.ARCHIVED:
                person.status, person.archived_at = PersonStatus.ACTIVE, None
            to_update.append(person)
        subjects_by_person.append((person, row["subjects"]))
    _insert_people(to_create)
    now = timezone.now()
    _update_people(to_update, now=now)
    _set_subjects(subjects_by_person, created={p.pk for p in to_create})
    batch.status = ImportStatus.APPLIED
    batch.applied_at = now
    batch.created_count = len(to_create)
    batch.updated_count = len(to_update)
    batch.rows = []  # personal data is no longer needed in the batch once saved
    batch.save(update_fields=["status", "applied_at", "created_count", "updated_count", "rows"])
    log_import(batch)
    link_people_by_email(org=org)
    return batch


PLAIN_COLUMNS = ("CharField", "TextField", "PositiveSmallIntegerField", "BooleanField")


def _insert_people(people: list[Person]) -> None:
    """INSERT … RETURNING id in batches and set each person's pk: bulk_create compiles SQL per
    value, which was most of a 10 000-row import's saving time. Like bulk_create, no signals."""
    if not people:
        return
    db = connections[Person.objects.db]  # the wrapper itself: the proxy costs per lookup
    if not db.features.can_return_rows_from_bulk_insert:
        Person.objects.bulk_create(people, batch_size=1000)
        return
    ops = db.ops
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    table = ops.quote_name(Person._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    values = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(1000, ops.bulk_batch_size(fields, people)))
    # A plain str/int/bool (or None outside JSON) goes to the driver as the field would send
    # it; dates, datetimes and keys go through the field, self-filling ones (auto_now) through
    # pre_save.
    own = {f.attname for f in fields if type(f).pre_save is not Field.pre_save}
    plain = {
        f.attname
        for f in fields
        if f.get_internal_type() in PLAIN_COLUMNS and f.attname not in own and not f.is_relation
    }
    null_as_is = {f.attname for f in fields if f.get_internal_type() != "JSONField"}

    def value(person: Person, f: Field) -> object:
        raw = f.pre_save(person, add=True) if f.attname in own else getattr(person, f.attname)
        if raw is None and f.attname in null_as_is:
            return None
        if f.attname in plain and type(raw) in (str, int, bool):
            return raw
        return f.get_db_prep_save(raw, db)

    with db.cursor() as cursor:
        for start in range(0, len(people), size):
            batch = people[start : start + size]
            params = [value(p, f) for p in batch for f in fields]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([values] * len(batch))} "  # noqa: S608 — names come from the model
                f"RETURNING {ops.quote_name(Person._meta.pk.column)}",
                params,
            )
            for person, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                person.pk = pk
                person._state.adding, person._state.db = False, db.alias


def _update_people(people: list[Person], *, now) -> None:
    """One parametrised UPDATE run for all rows (bulk_update's CASE chains are far slower)."""
    if not people:
        return
    names = [*PERSON_IMPORT_FIELDS, "status", "archived_at"]
    fields = [Person._meta.get_field(name) for name in names]
    updated_at = Person._meta.get_field("updated_at")
    table = connection.ops.quote_name(Person._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {table} SET {assignments}, {connection.ops.quote_name(updated_at.column)} = %s "  # noqa: S608 — names come from the model
        f"WHERE {connection.ops.quote_name('id')} = %s"
    )
    params = [
        [
            *(f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields),
            updated_at.get_db_prep_save(now, connection),
            p.pk,
        ]
        for p in people
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _person_values(row: dict) -> dict:
    values = {name: row.get(name) for name in PERSON_IMPORT_FIELDS}
    values["levels"] = ",".join(row["levels"])
    # A batch checked before the column existed has no personnel number.
    values["personnel_number"] = values["personnel_number"] or ""
    for name in ("birth_date", "hired_on", "mentor_title_since"):
        if values[name]:
            values[name] = datetime.date.fromisoformat(values[name])
    return values


def _set_subjects(
    subjects_by_person: list[tuple[Person, list[str]]], *, created: Container[int] = frozenset()
) -> None:
    """Replace subjects of the listed people (only where the file gave some) in bulk; the
    people just `created` (pks) have none to remove."""
    with_subjects = [(p, names) for p, names in subjects_by_person if names]
    if not with_subjects:
        return
    subjects = resolve_subjects(name for _p, names in with_subjects for name in names)
    through = Person.subjects.through
    ids = [p.pk for p, _names in with_subjects if p.pk not in created]
    for start in range(0, len(ids), 900):
        through.objects.filter(person_id__in=ids[start : start + 900]).delete()
    links = {
        (p.pk, subjects[n.strip().lower()].pk)
        for p, names in with_subjects
        for n in names
        if n.strip().lower() in subjects
    }
    # Plain parameter rows: bulk_create would build and compile a model per link.
    ops = connection.ops
    columns = [through._meta.get_field(name).column for name in ("person", "subject")]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ops.quote_name(through._meta.db_table)} "  # noqa: S608 — names come from the model
            f"({', '.join(ops.quote_name(c) for c in columns)}) VALUES (%s, %s)",
            sorted(links),
        )
