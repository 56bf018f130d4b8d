"""Use cases of events: invite, register, mark attendance, attach materials."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.banks.models import BankKind, Profile, academic_year
from apps.core.text import control_character_message
from apps.events.calendar import ics
from apps.events.models import Event, EventAudience, Participant
from apps.library.models import Material, MaterialStatus
from apps.library.services import save_material
from apps.orgs.models import Organisation
from apps.people.choices import PersonStatus
from apps.people.models import Person
from apps.programs.models import UnitMember

FEED_SALT = "events.feed"


class EventError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def audience_people(event: Event) -> QuerySet:
    """Who the event is for: the banks of the year and people in open units, or all staff."""
    org = event.organisation
    people = Person.objects.filter(organisation=org, status=PersonStatus.ACTIVE)
    if event.audience == EventAudience.STAFF:
        return people
    year = academic_year(timezone.localdate(event.starts_at))
    kinds = {
        EventAudience.MENTORS: [BankKind.MENTOR],
        EventAudience.MENTEES: [BankKind.MENTEE],
        EventAudience.PAIRS: [BankKind.MENTOR, BankKind.MENTEE],
    }[event.audience]
    in_bank = Profile.objects.filter(organisation=org, year=year, kind__in=kinds).values(
        "person_id"
    )
    members = UnitMember.objects.filter(is_open=True, unit__organisation=org)
    ids = set(people.filter(pk__in=in_bank).values_list("pk", flat=True))
    if BankKind.MENTOR in kinds:
        ids |= set(members.values_list("mentor_id", flat=True))
    if BankKind.MENTEE in kinds:
        ids |= set(members.values_list("mentee_id", flat=True))
    return people.filter(pk__in=ids)


def _invitation(event: Event, person: Person) -> EmailMessage:
    link = settings.SITE_URL.rstrip("/") + reverse("events:my")
    when = timezone.localtime(event.starts_at)
    body = (
        f"Здравствуйте, {person.first_name} {person.middle_name}!\n\n"
        f"{event.organisation.short_name} приглашает вас: {event.get_kind_display().lower()} "
        f"«{event.title}».\nКогда: {when:%d.%m.%Y %H:%M}.\n"
        + (f"Где: {event.place}.\n" if event.place else "")
        + (f"Онлайн: {event.online_url}\n" if event.online_url else "")
        + f"\nПодтвердить участие: {link}\nВ письме — файл для календаря."
    )
    message = EmailMessage(
        subject=f"Приглашение: {event.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    message.attach("event.ics", ics([event], name=event.title, method="REQUEST"), "text/calendar")
    return message


@transaction.atomic
def invite(event: Event, people, *, now: datetime.datetime | None = None) -> int:
    """Invite people (once each) and e-mail those with an address an .ics invitation."""
    now = now or timezone.now()
    if event.ends_at < now:
        raise EventError("Мероприятие уже прошло — приглашать поздно.")
    existing = set(event.participants.values_list("person_id", flat=True))
    fresh = [p for p in people if p.pk not in existing]
    Participant.objects.bulk_create(
        Participant(event=event, person=p, invited_at=now) for p in fresh
    )
    mails = [_invitation(event, p) for p in fresh if p.email]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return len(fresh)


def _send(mails: list[EmailMessage]) -> None:
    from django.core.mail import get_connection

    with get_connection() as connection:
        connection.send_messages(mails)


@transaction.atomic
def register(event: Event, person: Person) -> Participant:
    if event.ends_at < timezone.now():
        raise EventError("Мероприятие уже прошло.")
    seat = Participant.objects.select_for_update().filter(event=event, person=person).first()
    if seat is None:
        if event.organisation_id != person.organisation_id and not event.guests_allowed:
            raise EventError("Это мероприятие — только для сотрудников школы.")
        seat = Participant.objects.create(event=event, person=person, uninvited=True)
    if seat.registered_at:
        raise EventError("Вы уже записаны на это мероприятие.")
    seat.registered_at = timezone.now()
    seat.save(update_fields=["registered_at"])
    return seat


@transaction.atomic
def mark_attendance(event: Event, present_ids: set[int], guests: list[str]) -> None:
    """Tick who came; people not invited are added and flagged; guests by name."""
    if event.starts_at > timezone.now():
        raise EventError("Отмечать присутствие можно, когда мероприятие началось.")
    for name in guests:
        if message := control_character_message("Гости", name):
            raise EventError(message)
    seats = {s.person_id: s for s in event.participants.filter(person__isnull=False)}
    for seat in seats.values():
        seat.attended = seat.person_id in present_ids
    Participant.objects.bulk_update(seats.values(), ["attended"])
    newcomers = Person.objects.filter(
        organisation=event.organisation, pk__in=present_ids - set(seats)
    )
    Participant.objects.bulk_create(
        Participant(event=event, person=p, attended=True, uninvited=True) for p in newcomers
    )
    Participant.objects.bulk_create(
        Participant(event=event, guest_name=name[:300], attended=True, uninvited=True)
        for name in guests
        if name.strip()
    )


def attach_material(event: Event, material: Material, *, by) -> Material:
    """Materials of an event go to the library (published for the school)."""
    material.organisation = event.organisation
    material.source_event = event
    material.status = MaterialStatus.PUBLISHED
    return save_material(material, by=by)


def feed_token(kind: str, pk: int) -> str:
    return signing.dumps({"k": kind, "id": pk}, salt=FEED_SALT, compress=True)


def feed_target(token: str) -> tuple[str, int] | None:
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return data.get("k"), data.get("id")


def person_events(person: Person) -> QuerySet:
    return Event.objects.filter(participants__person=person).distinct()


def school_events(org: Organisation) -> QuerySet:
    return Event.objects.filter(organisation=org)
