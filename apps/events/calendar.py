"""iCalendar (RFC 5545) for invitations and feeds, with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as IcsEvent

from apps.core.text import strip_unsafe
from apps.events.models import Event

PRODID = "-//Наставник//Мероприятия наставничества//RU"


def _vevent(event: Event) -> IcsEvent:
    item = IcsEvent()
    item.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1].strip('/')}")
    # RFC 5545 allows no control characters in text; stored ones are dropped, not sent on.
    item.add("summary", strip_unsafe(f"{event.get_kind_display()}: {event.title}"))
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("dtstamp", event.created_at)
    location = ", ".join(p for p in (event.place, event.online_url) if p)
    if location:
        item.add("location", strip_unsafe(location))
    description = "\n".join(
        p for p in (event.programme, f"Выступают: {event.speakers}" if event.speakers else "") if p
    )
    if description:
        item.add("description", strip_unsafe(description))
    item.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    return item


def ics(events: Iterable[Event], *, name: str, method: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", strip_unsafe(name))
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
