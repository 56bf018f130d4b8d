"""Read-side helpers for the staff register: counts for dashboards, filtered lists."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.models import Consent, Person


def _processing_consent_exists() -> Exists:
    return Exists(
        Consent.objects.valid().filter(person=OuterRef("pk"), kind=ConsentKind.PROCESSING)
    )


def dashboard_summary(org: Organisation) -> dict[str, int]:
    """Headline counts of the register of `org` (its subtree above school level). One query."""
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
    """Schools below `org` with staff, young specialists and processing consents. One query."""
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
