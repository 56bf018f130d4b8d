"""Read-side helpers for the staff register: counts for dashboards, filtered lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.core import datagen
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.models import Consent, Person
from apps.people.normalize import name_key


def _processing_consent_exists() -> Exists:
    return Exists(
        Consent.objects.valid().filter(person=OuterRef("pk"), kind=ConsentKind.PROCESSING)
    )


def dashboard_summary(org: Organisation) -> dict[str, int]:
    """Headline counts of the register of `org` (its subtree above school level). One query,
    kept under the data generation (apps/core/datagen) for the day."""
    return datagen.cached(
        "people:summary", (org.pk, org.path, timezone.localdate()), lambda: _summary(org)
    )


def _summary(org: Organisation) -> dict[str, int]:
    people = (
        Person.objects.within(org)
        .filter(status=PersonStatus.ACTIVE)
        .annotate(has_processing=_processing_consent_exists())
    )
    counts = people.aggregate(
        staff=Count("pk"),
        young=Count("pk", filter=Q(is_young_specialist=True)),
        with_processing=Count("pk", filter=Q(has_processing=True)),
        mentor_title=Count("pk", filter=Q(mentor_title_since__isnull=False)),
    )
    counts["without_processing"] = counts["staff"] - counts["with_processing"]
    return counts


def schools_summary(org: Organisation) -> list[Organisation]:
    """Schools below `org` with staff, young specialists and processing consents. One query,
    kept under the data generation for the day."""
    return datagen.cached(
        "people:schools", (org.pk, org.path, timezone.localdate()), lambda: _schools(org)
    )


def _schools(org: Organisation) -> list[Organisation]:
    active = Q(persons__status=PersonStatus.ACTIVE)
    valid_processing = Consent.objects.valid().filter(kind=ConsentKind.PROCESSING)
    return list(
        Organisation.objects.subtree(org)
        .schools()
        .annotate(
            staff=Count("persons", filter=active, distinct=True),
            young=Count(
                "persons", filter=active & Q(persons__is_young_specialist=True), distinct=True
            ),
            with_processing=Count(
                "persons",
                filter=active & Q(persons__in=valid_processing.values("person_id")),
                distinct=True,
            ),
        )
        .order_by("short_name")
    )


def staff_search(
    people: QuerySet[Person],
    *,
    q: str = "",
    status: str = "",
    category: str = "",
    young: bool = False,
    school: Organisation | None = None,
) -> QuerySet[Person]:
    """The staff register filtered as the list page and the API filter it.

    `q` matches the name (any word order, ё/е alike, through `name_key`) or the position;
    `status` "" means working (not archived), "all" everyone, anything else that status.
    """
    q = q.strip()
    if q:
        people = people.filter(Q(name_key__contains=name_key(q, "", "")) | Q(position__icontains=q))
    if status == "":
        people = people.exclude(status=PersonStatus.ARCHIVED)
    elif status != "all":
        people = people.filter(status=status)
    if category:
        people = people.filter(category=category)
    if young:
        people = people.filter(is_young_specialist=True)
    if school is not None:
        people = people.of(school)
    return people


# What the staff list shows of a person (the page builds its display strings from these).
STAFF_LIST_COLUMNS = (
    "pk", "last_name", "first_name", "middle_name", "position", "teaching_experience",
    "category", "is_young_specialist", "mentor_title_since", "status",
)  # fmt: skip


def staff_list_rows(people: QuerySet[Person], *, with_school: bool) -> QuerySet:
    """`people` as dicts of the staff list's columns plus has_processing (a valid processing
    consent) and, `with_school`, the school's organisation__short_name. One query per page."""
    columns = STAFF_LIST_COLUMNS + (("organisation__short_name",) if with_school else ())
    return people.annotate(has_processing=_processing_consent_exists()).values(
        *columns, "has_processing"
    )


def subject_names(person_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each person's subject names in the subjects' own order. One query (none for no ids)."""
    person_ids = list(person_ids)
    names: dict[int, list[str]] = {}
    if not person_ids:
        return names
    links = Person.subjects.through.objects.filter(person_id__in=person_ids)
    pairs = links.order_by("subject__name").values_list("person_id", "subject__name")
    for person_id, name in pairs:
        names.setdefault(person_id, []).append(name)
    return names


def full_name(row: dict) -> str:
    """Person.full_name of a row of `.values()` with the three name parts."""
    return " ".join(n for n in (row["last_name"], row["first_name"], row["middle_name"]) if n)


def consent_summary(people: QuerySet[Person], on: datetime.date) -> dict[str, int]:
    """How many of `people` there are ("total") and how many of them hold a valid consent of
    each kind on `on` (by kind code). Two queries."""
    valid = Consent.objects.valid(on).filter(person__in=people).order_by()
    holders = dict(valid.values_list("kind").annotate(n=Count("person_id", distinct=True)))
    return {"total": people.count()} | {kind: holders.get(kind, 0) for kind in ConsentKind.values}
