"""GET /organisations: the token's organisation and everything below it."""

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from apps.api.common import READ_ERRORS, Pagination, token_of
from apps.orgs.models import Organisation

router = Router(tags=["Организации"])


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    parent_id: int | None
    city: str
    website: str
    email: str
    phone: str


class OrganisationFilter(Schema):
    kind: Literal["region", "municipality", "school"] | None = None


@router.get("/organisations", response={200: list[OrganisationOut], **READ_ERRORS})
@paginate(Pagination)
def organisations(
    request: HttpRequest, filters: Query[OrganisationFilter]
) -> QuerySet[Organisation]:
    """Организации, доступные ключу: его организация и все ниже по дереву."""
    orgs = Organisation.objects.subtree(token_of(request).organisation).order_by("path", "pk")
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    return orgs
