"""iCalendar (RFC 5545) for invitations and feeds, with the icalendar library."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from apps.core.text import strip_unsafe
from apps.events.models import Event
from apps.orgs.models import Organisation

PRODID = "-//Наставник//Мероприятия наставничества//RU"


@dataclass(frozen=True)
class CalendarEntry:
    """What a calendar (or a public list) shows of an event.

    Public pages build entries with the private parts left out (the online link always, free
    texts naming people without a consent), so a renderer cannot show more than it was given.
    """

    pk: int
    kind_label: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    stamp: datetime.datetime
    organisation: Organisation | None = None
    place: str = ""
    online_url: str = ""
    programme: str = ""
    speakers: str = ""

    @classmethod
    def of(cls, event: Event) -> CalendarEntry:
        return cls(
            pk=event.pk,
            kind_label=str(event.get_kind_display()),
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            stamp=event.created_at,
            # Only when already loaded: a person's feed must not query each event's school.
            organisation=event.organisation if Event.organisation.is_cached(event) else None,
            place=event.place,
            online_url=event.online_url,
            programme=event.programme,
            speakers=event.speakers,
        )


def _vevent(entry: CalendarEntry):
    from icalendar import Event as IcsEvent

    item = IcsEvent()
    item.add("uid", f"event-{entry.pk}@{settings.SITE_URL.split('//')[-1].strip('/')}")
    # RFC 5545 allows no control characters in text; stored ones are dropped, not sent on.
    item.add("summary", strip_unsafe(f"{entry.kind_label}: {entry.title}"))
    item.add("dtstart", entry.starts_at)
    item.add("dtend", entry.ends_at)
    item.add("dtstamp", entry.stamp)
    location = ", ".join(p for p in (entry.place, entry.online_url) if p)
    if location:
        item.add("location", strip_unsafe(location))
    description = "\n".join(
        p for p in (entry.programme, f"Выступают: {entry.speakers}" if entry.speakers else "") if p
    )
    if description:
        item.add("description", strip_unsafe(description))
    item.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    return item


def ics(events: Iterable[Event | CalendarEntry], *, name: str, method: str | None = None) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", strip_unsafe(name))
    if method:
        calendar.add("method", method)
    for event in events:
        entry = event if isinstance(event, CalendarEntry) else CalendarEntry.of(event)
        calendar.add_component(_vevent(entry))
    return calendar.to_ical()
