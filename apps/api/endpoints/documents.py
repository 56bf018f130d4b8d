"""Registry of orders and agreements: metadata only, never the files."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.api.common import READ_ERRORS, OrgId, Pagination, SafeStr, org_for
from apps.documents.models import Document

router = Router(tags=["Документы"])


class DocumentOut(Schema):
    id: int
    organisation_id: int
    number: str
    date: datetime.date
    kind: str
    title: str
    status: str


class DocumentFilter(Schema):
    kind: SafeStr | None = None
    status: SafeStr | None = None
    year: int | None = Field(None, ge=1900, le=2100)


@router.get("/organisations/{org_id}/documents", response={200: list[DocumentOut], **READ_ERRORS})
@paginate(Pagination)
def document_list(
    request: HttpRequest, org_id: OrgId, filters: Query[DocumentFilter]
) -> QuerySet[Document]:
    """Приказы и соглашения: номер, дата, вид, заголовок, статус (без файлов)."""
    org = org_for(request, org_id, "documents.view")
    documents = Document.objects.within(org).order_by("-date", "-pk")
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.year:
        documents = documents.filter(year=filters.year)
    return documents.only("id", "organisation_id", "number", "date", "kind", "title", "status")
