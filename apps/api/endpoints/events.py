"""Events: list with a date filter, create through the UI's form."""

import datetime
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from apps.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    OrgId,
    Pagination,
    SafeDate,
    SafeDateTime,
    SafeStr,
    check_form,
    org_for,
    school_for,
    token_of,
)
from apps.events.forms import EventForm
from apps.events.models import Event
from apps.events.services import save_event

router = Router(tags=["Мероприятия"])

KindCode = Literal[
    "session", "consultation", "exchange", "conference", "seminar", "round_table", "other"
]


class EventOut(Schema):
    id: int
    organisation_id: int
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    audience: str
    guests_allowed: bool
    programme: str
    speakers: str


class EventIn(Schema):
    kind: KindCode
    title: SafeStr
    starts_at: SafeDateTime
    ends_at: SafeDateTime
    place: SafeStr = ""
    online_url: SafeStr = ""
    audience: Literal["mentors", "mentees", "pairs", "staff"]
    guests_allowed: bool = False
    programme: SafeStr = ""
    speakers: SafeStr = ""


class EventFilter(Schema):
    date_from: SafeDate | None = Field(None, alias="from", description="Начало не раньше даты")
    date_to: SafeDate | None = Field(None, alias="to", description="Начало не позже даты")
    kind: KindCode | None = None


@router.get("/organisations/{org_id}/events", response={200: list[EventOut], **READ_ERRORS})
@paginate(Pagination)
def event_list(request: HttpRequest, org_id: OrgId, filters: Query[EventFilter]) -> QuerySet[Event]:
    """Мероприятия организации и организаций ниже; `from`/`to` — даты начала (включительно)."""
    org = org_for(request, org_id, "events.view")
    events = Event.objects.within(org).order_by("starts_at", "pk")
    if filters.date_from:
        events = events.filter(starts_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(starts_at__date__lte=filters.date_to)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return events


@router.post("/organisations/{org_id}/events", response={201: EventOut, **WRITE_ERRORS})
@transaction.atomic
def event_create(request: HttpRequest, org_id: OrgId, payload: EventIn) -> Status:
    """Создать мероприятие (проверки — как в форме: окончание позже начала, место или ссылка;
    прошедшее мероприятие вносится задним числом и так помечается)."""
    org = school_for(request, org_id, "events.manage")
    form = EventForm(payload.model_dump())
    check_form(form)
    event = save_event(org=org, event=form.save(commit=False), by=token_of(request).created_by)
    return Status(201, event)
