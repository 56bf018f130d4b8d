"""Banks of mentors and mentees: only people with a valid processing consent are listed."""

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.api.common import READ_ERRORS, OrgId, Pagination, org_for
from apps.banks.models import Profile
from apps.people.choices import ConsentKind
from apps.people.models import Person

router = Router(tags=["Банки наставников и наставляемых"])


class ProfileOut(Schema):
    id: int
    organisation_id: int
    person_id: int
    person_name: str
    kind: str
    year: str
    status: str
    competencies: dict[str, Any]
    capacity: int
    forms: list[Any]
    availability: list[Any]
    motivation: str
    source: str

    @staticmethod
    def resolve_person_name(obj: Profile) -> str:
        return obj.person.full_name


class ProfileFilter(Schema):
    kind: Literal["mentee", "mentor"] | None = None
    year: str | None = Field(None, pattern=r"^\d{4}/\d{4}$", description="Например 2025/2026")
    status: Literal["candidate", "in_bank", "paired", "finished", "left"] | None = None


@router.get(
    "/organisations/{org_id}/bank-profiles", response={200: list[ProfileOut], **READ_ERRORS}
)
@paginate(Pagination)
def profile_list(
    request: HttpRequest, org_id: OrgId, filters: Query[ProfileFilter]
) -> QuerySet[Profile]:
    """Профили банков. Человек без действующего согласия на обработку ПДн не показывается."""
    org = org_for(request, org_id, "banks.view")
    consenting = Person.objects.with_valid_consent(ConsentKind.PROCESSING)
    profiles = (
        Profile.objects.within(org)
        .filter(person__in=consenting)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for name in ("kind", "year", "status"):
        if value := getattr(filters, name):
            profiles = profiles.filter(**{name: value})
    return profiles
