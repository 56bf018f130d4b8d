"""The invitation letter of an event, with its .ics (sent by apps.events.tasks)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from apps.events.calendar import ics
from apps.events.models import Participant


def answer_link(seat: Participant) -> str:
    """Where the invited person confirms or declines: «Мои мероприятия» for someone with an
    account, the seat's personal link for someone without one."""
    path = (
        reverse("events:my") if seat.person.user_id else reverse("events:answer", args=[seat.token])
    )
    return settings.SITE_URL.rstrip("/") + path


def invitation_message(seat: Participant, *, to: str) -> EmailMessage:
    event, person = seat.event, seat.person
    link = answer_link(seat)
    when = timezone.localtime(event.starts_at)
    body = (
        f"Здравствуйте, {person.first_name} {person.middle_name}!\n\n"
        f"{event.organisation.short_name} приглашает вас: {event.get_kind_display().lower()} "
        f"«{event.title}».\nКогда: {when:%d.%m.%Y %H:%M}.\n"
        + (f"Где: {event.place}.\n" if event.place else "")
        + (f"Онлайн: {event.online_url}\n" if event.online_url else "")
        + f"\nПодтвердить участие или отказаться: {link}\nВ письме — файл для календаря."
    )
    message = EmailMessage(
        subject=f"Приглашение: {event.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach("event.ics", ics([event], name=event.title, method="REQUEST"), "text/calendar")
    return message
