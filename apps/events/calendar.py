"""iCalendar (RFC 5545) for invitations and feeds, with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as IcsEvent

from apps.events.models import Event

PRODID = "-//Наставник//Мероприятия наставничества//RU"


def _vevent(event: Event) -> IcsEvent:
    item = IcsEvent()
    item.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1].strip('/')}")
    item.add("summary", f"{event.get_kind_display()}: {event.title}")
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("dtstamp", event.created_at)
    location = ", ".join(p for p in (event.place, event.online_url) if p)
    if location:
        item.add("location", location)
    description = "\n".join(
        p for p in (event.programme, f"Выступают: {event.speakers}" if event.speakers else "") if p
    )
    if description:
        item.add("description", description)
    item.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    return item


def ics(events: Iterable[Event], *, name: str, method: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
