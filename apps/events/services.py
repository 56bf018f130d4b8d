"""Use cases of events: invite, register, mark attendance, attach materials."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from apps.banks.models import BankKind, Profile
from apps.core.text import control_character_message
from apps.core.years import academic_year
from apps.events.models import (
    CalendarLink,
    Event,
    EventAudience,
    InvitationMail,
    MailStatus,
    Participant,
)
from apps.events.signals import people_invited
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


@transaction.atomic
def save_event(*, org: Organisation, event: Event, by) -> Event:
    """Create or change an event. A new event that has already started is recorded after the
    fact: marked «внесено задним числом».

    Side effects: the event row.
    """
    if event.pk is None:
        event.organisation, event.created_by = org, by
        event.entered_late = event.starts_at < timezone.now()
    event.save()
    return event


def audience_people(event: Event) -> QuerySet:
    """Who the event is for: the banks of the year and people in open units, or all staff."""
    org = event.organisation
    people = Person.objects.of(org).filter(status=PersonStatus.ACTIVE)
    if event.audience == EventAudience.STAFF:
        return people
    year = academic_year(timezone.localdate(event.starts_at))
    kinds = {
        EventAudience.MENTORS: [BankKind.MENTOR],
        EventAudience.MENTEES: [BankKind.MENTEE],
        EventAudience.PAIRS: [BankKind.MENTOR, BankKind.MENTEE],
    }[event.audience]
    in_bank = Profile.objects.of(org).filter(year=year, kind__in=kinds).values("person_id")
    members = UnitMember.objects.of(org).filter(is_open=True)
    ids = set(people.filter(pk__in=in_bank).values_list("pk", flat=True))
    if BankKind.MENTOR in kinds:
        ids |= set(members.values_list("mentor_id", flat=True))
    if BankKind.MENTEE in kinds:
        ids |= set(members.values_list("mentee_id", flat=True))
    return people.filter(pk__in=ids)


# A letter "being sent" this long ago belongs to a worker that died: it may be queued again.
STALE_SENDING = datetime.timedelta(minutes=15)


@transaction.atomic
def invite(event: Event, people, *, now: datetime.datetime | None = None) -> int:
    """Invite people (once each) and queue an e-mail with an .ics for each one with an address.

    Invitations that have not gone out yet (the mail server was down, the address was refused)
    are queued again, to the person's current address, so pressing «Пригласить» again is the
    retry. Returns how many people were newly invited.

    Side effects: Participant rows; an InvitationMail per letter; after commit, one background
    task per letter (apps.events.tasks.send_invitation); the `people_invited` signal.
    """
    now = now or timezone.now()
    if event.ends_at < now:
        raise EventError("Мероприятие уже прошло — приглашать поздно.")
    existing = set(event.participants.values_list("person_id", flat=True))
    fresh = [p for p in people if p.pk not in existing]
    Participant.objects.bulk_create(
        Participant(event=event, person=p, invited_at=now) for p in fresh
    )
    seats = event.participants.filter(person__in=[p for p in fresh if p.email])
    InvitationMail.objects.bulk_create(
        InvitationMail(participant=seat, email=seat.person.email)
        for seat in seats.select_related("person")
    )
    unsent = list(
        InvitationMail.objects.filter(participant__event=event)
        .exclude(status=MailStatus.SENT)
        .exclude(status=MailStatus.SENDING, updated_at__gte=now - STALE_SENDING)
        .exclude(participant__person__email="")
        .select_related("participant__person")
    )
    for mail in unsent:
        mail.email, mail.status, mail.attempts = mail.participant.person.email, MailStatus.QUEUED, 0
        mail.next_attempt_at, mail.updated_at = None, now
    InvitationMail.objects.bulk_update(
        unsent, ["email", "status", "attempts", "next_attempt_at", "updated_at"]
    )
    if unsent:
        transaction.on_commit(lambda: _queue_all([mail.pk for mail in unsent]))
    if fresh:
        people_invited.send(sender=Event, event=event, person_ids=[p.pk for p in fresh])
    return len(fresh)


def _queue_all(mail_ids: list[int]) -> None:
    from apps.events.tasks import queue

    for pk in mail_ids:
        queue(pk)


def mail_report(event: Event) -> dict:
    """The invitation letters of an event: how many in each state, and the ones not sent."""
    mails = InvitationMail.objects.filter(participant__event=event)
    counts = dict.fromkeys(MailStatus.values, 0)
    for row in mails.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    problems = mails.exclude(status=MailStatus.SENT).exclude(last_error="")
    return {
        "sent": counts[MailStatus.SENT],
        "waiting": counts[MailStatus.QUEUED]
        + counts[MailStatus.SENDING]
        + counts[MailStatus.RETRYING],
        "failed": counts[MailStatus.FAILED],
        "problems": list(problems.select_related("participant__person").order_by("email")),
    }


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
    seat.registered_at, seat.declined_at = timezone.now(), None
    seat.save(update_fields=["registered_at", "declined_at"])
    return seat


@transaction.atomic
def respond(seat: Participant, *, coming: bool, now: datetime.datetime | None = None) -> None:
    """The invited person's answer by their personal link: coming or not (may change it until
    the event ends).

    Side effects: registered_at or declined_at of the seat.
    """
    now = now or timezone.now()
    seat = Participant.objects.select_for_update().select_related("event").get(pk=seat.pk)
    if seat.event.ends_at < now:
        raise EventError("Мероприятие уже прошло — ответить на приглашение нельзя.")
    seat.registered_at, seat.declined_at = (now, None) if coming else (None, now)
    seat.save(update_fields=["registered_at", "declined_at"])


def seat_by_token(token: str) -> Participant | None:
    """The seat a personal link answers for: None for a forged key, a deleted seat or a person
    whose data were destroyed."""
    pk = Participant.parse_token(token)
    if pk is None:
        return None
    seats = Participant.objects.select_related("event__organisation", "person")
    return seats.filter(pk=pk, person__anonymised_at__isnull=True).first()


@transaction.atomic
def mark_attendance(event: Event, present_ids: set[int], guests: list[str]) -> None:
    """Tick who came, at any time after the start; people not invited are added and flagged
    (unless the event was entered late, when nobody could be invited); guests by name.

    Side effects: the seats' marks, new seats, the event's attendance_marked_at.
    """
    if event.starts_at > timezone.now():
        raise EventError("Отмечать присутствие можно, когда мероприятие началось.")
    for name in guests:
        if message := control_character_message("Гости", name):
            raise EventError(message)
    seats = {s.person_id: s for s in event.participants.filter(person__isnull=False)}
    for seat in seats.values():
        seat.attended = seat.person_id in present_ids
    Participant.objects.bulk_update(seats.values(), ["attended"])
    newcomers = Person.objects.of(event.organisation).filter(pk__in=present_ids - set(seats))
    Participant.objects.bulk_create(
        Participant(event=event, person=p, attended=True, uninvited=not event.entered_late)
        for p in newcomers
    )
    Participant.objects.bulk_create(
        Participant(event=event, guest_name=name[:300], attended=True, uninvited=True)
        for name in guests
        if name.strip()
    )
    event.attendance_marked_at = timezone.now()
    event.save(update_fields=["attendance_marked_at"])


def attach_material(event: Event, material: Material, *, by) -> Material:
    """Materials of an event go to the library (published for the school)."""
    material.organisation = event.organisation
    material.source_event = event
    material.status = MaterialStatus.PUBLISHED
    return save_material(material, by=by)


def calendar_link(kind: str, pk: int) -> CalendarLink:
    """The current secret calendar link of a person or a school, issued on first use."""
    link, _created = CalendarLink.objects.get_or_create(
        kind=kind, target_id=pk, defaults={"issued_at": timezone.now()}
    )
    return link


def link_expires(link: CalendarLink) -> datetime.datetime:
    return link.issued_at + datetime.timedelta(days=settings.CALENDAR_LINK_DAYS)


def link_token(link: CalendarLink) -> str:
    data = {"k": link.kind, "id": link.target_id, "v": link.version}
    return signing.dumps(data, salt=FEED_SALT, compress=True)


def feed_token(kind: str, pk: int) -> str:
    return link_token(calendar_link(kind, pk))


@transaction.atomic
def reissue_calendar_link(
    *, kind: str, pk: int, now: datetime.datetime | None = None
) -> CalendarLink:
    """A new secret calendar link for a person or a school.

    Side effects: the link's version goes up, so every earlier link answers 404 from now on;
    the new link's term (`CALENDAR_LINK_DAYS`) starts now.
    """
    now = now or timezone.now()
    link = CalendarLink.objects.select_for_update().filter(kind=kind, target_id=pk).first()
    if link is None:
        return CalendarLink.objects.create(kind=kind, target_id=pk, issued_at=now)
    link.version += 1
    link.issued_at = now
    link.save(update_fields=["version", "issued_at"])
    return link


def feed_target(token: str, *, now: datetime.datetime | None = None) -> tuple[str, int] | None:
    """(kind, pk) of a calendar link that is current and not expired, else None."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    kind, pk, version = data.get("k"), data.get("id"), data.get("v")
    if not (isinstance(kind, str) and isinstance(pk, int) and isinstance(version, int)):
        return None  # an old link without a version, or a forged payload
    link = CalendarLink.objects.filter(kind=kind, target_id=pk, version=version).first()
    if link is None or link_expires(link) <= (now or timezone.now()):
        return None
    return kind, pk


def person_events(person: Person) -> QuerySet:
    return Event.objects.filter(participants__person=person).distinct()


def school_events(org: Organisation) -> QuerySet:
    return Event.objects.of(org)
