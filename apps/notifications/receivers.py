"""What the notification centre hears from the apps below it: signals and model saves.

Lower apps do not know this module. A receiver turns an event into `notify()` calls; the
idempotency key of each call makes a repeated save (or a re-sent signal) harmless.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from apps.documents.models import DocStatus, Document
from apps.events.models import Event
from apps.events.signals import people_invited
from apps.matching.models import MentorRequest, NetworkProposal, RequestStatus
from apps.notifications.services import notify
from apps.orgs.choices import Role
from apps.orgs.models import User
from apps.people.models import Person
from apps.programs.models import Meeting, MentorChange, MentoringUnit
from apps.surveys.models import Campaign
from apps.surveys.signals import campaign_created


def day(value) -> str:
    return f"{value:%d.%m.%Y}"


def role_users(org_id: int, role: str):
    """Active accounts holding `role` at the organisation itself."""
    return User.objects.filter(
        memberships__organisation_id=org_id, memberships__role=role, is_active=True
    ).distinct()


def unit_people(unit: MentoringUnit) -> list[Person]:
    """The mentor, the co-mentor and the open members of a unit, each with their account."""
    mentees = [m.mentee for m in unit.members.filter(is_open=True).select_related("mentee__user")]
    people = [unit.mentor, *([unit.co_mentor] if unit.co_mentor_id else []), *mentees]
    return [p for p in people if p.user_id]


def unit_context(unit: MentoringUnit) -> dict:
    mentees = [m.mentee for m in unit.members.all() if m.is_open]
    return {
        "unit_id": unit.pk,
        "org_id": unit.organisation_id,
        "mentor": unit.mentor.short_name,
        "mentees": ", ".join(m.short_name for m in mentees) or "—",
        "unit_word": "группа" if len(mentees) > 1 else "пара",
        "start": day(unit.start_date),
        "end": day(unit.end_date),
    }


# --- surveys: invitations and feedback questionnaires -----------------------------------


@receiver(campaign_created)
def campaign_was_created(sender, campaign: Campaign, **kwargs) -> None:
    pk = campaign.pk
    transaction.on_commit(lambda: campaign_notices(pk))


def campaign_notices(campaign_id: int) -> int:
    campaign = Campaign.objects.select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    event = "feedback_launched" if campaign.unit_id else "survey_invitation"
    sent = 0
    for invitation in campaign.invitations.filter(
        person__user__isnull=False, link_revoked_at__isnull=True
    ).select_related("person__user"):
        sent += bool(
            notify(
                invitation.person, event, obj=invitation,
                context={
                    "survey": campaign.title, "org": campaign.organisation.short_name,
                    "deadline": day(campaign.deadline), "token": invitation.token,
                    "org_id": campaign.organisation_id,
                },
            )
        )  # fmt: skip
    return sent


# --- documents: waiting for the head's signature, signed -----------------------------------


@receiver(post_save, sender=Document)
def document_saved(sender, instance: Document, **kwargs) -> None:
    context = {
        "document": instance.title, "number": instance.number, "date": day(instance.date),
        "org_id": instance.organisation_id, "document_id": instance.pk,
    }  # fmt: skip
    if instance.status == DocStatus.SIGNING:
        # Sent to signing again after a return to draft: a new request to sign.
        moment = instance.status_changed_at.timestamp() if instance.status_changed_at else 0
        for head in role_users(instance.organisation_id, Role.HEAD):
            notify(head, "document_signing", obj=instance, context=context,
                   key=f"{instance.pk}:{moment:.0f}")  # fmt: skip
    elif instance.status == DocStatus.SIGNED:
        for curator in role_users(instance.organisation_id, Role.CURATOR):
            notify(curator, "document_signed", obj=instance, context=context)


# --- programs: pairs formed, mentor replaced, the first meeting ---------------------------


@receiver(post_save, sender=MentoringUnit)
def unit_saved(sender, instance: MentoringUnit, created: bool, **kwargs) -> None:
    if created:
        pk = instance.pk
        # The members are added after the unit row: read them once the transaction is done.
        transaction.on_commit(lambda: unit_formed(pk))


def unit_formed(unit_id: int) -> None:
    unit = (
        MentoringUnit.objects.select_related("mentor__user", "co_mentor__user")
        .prefetch_related("members__mentee")
        .filter(pk=unit_id)
        .first()
    )
    if unit is None:
        return
    context = unit_context(unit)
    for person in unit_people(unit):
        notify(person, "unit_formed", obj=unit, context=context)


@receiver(post_save, sender=MentorChange)
def mentor_changed(sender, instance: MentorChange, created: bool, **kwargs) -> None:
    if not created:
        return
    unit = instance.unit
    context = {
        "unit_id": unit.pk, "org_id": unit.organisation_id,
        "old_mentor": instance.old_mentor.short_name, "new_mentor": instance.new_mentor.short_name,
        "date": day(instance.changed_on),
    }  # fmt: skip
    mentees = [m.mentee for m in unit.members.filter(is_open=True).select_related("mentee__user")]
    for person in [instance.new_mentor, instance.old_mentor, *mentees]:
        if person.user_id:
            notify(person, "mentor_replaced", obj=instance, context=context)


@receiver(post_save, sender=Meeting)
def meeting_saved(sender, instance: Meeting, created: bool, **kwargs) -> None:
    if not created or instance.unit.meetings.exclude(pk=instance.pk).exists():
        return
    unit = instance.unit
    context = {"unit_id": unit.pk, "org_id": unit.organisation_id, "date": day(instance.date)}
    for person in unit_people(unit):
        notify(person, "fit_check", key=f"unit:{unit.pk}", context=context)


# --- matching: self-choice requests, network proposals ------------------------------------


@receiver(post_save, sender=MentorRequest)
def request_saved(sender, instance: MentorRequest, created: bool, **kwargs) -> None:
    if created:
        notify(instance.mentor, "request_received", obj=instance,
               context={"mentee": instance.mentee.short_name})  # fmt: skip
    elif instance.status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
        answer = (
            "согласен — осталось утверждение куратора"
            if instance.status == RequestStatus.ACCEPTED
            else "отказался — выберите другого наставника"
        )
        notify(instance.mentee, "request_answered", obj=instance,
               context={"mentor": instance.mentor.short_name, "answer": answer})  # fmt: skip


@receiver(post_save, sender=NetworkProposal)
def proposal_saved(sender, instance: NetworkProposal, created: bool, **kwargs) -> None:
    if not created:
        return
    context = {
        "mentee_org": instance.mentee_org.short_name, "mentor_org": instance.mentor_org.short_name,
    }  # fmt: skip
    for org_id in {instance.mentee_org_id, instance.mentor_org_id}:
        for curator in role_users(org_id, Role.CURATOR):
            notify(curator, "network_proposal", key=f"{instance.pk}:{org_id}",
                   context={**context, "org_id": org_id})  # fmt: skip


# --- events: invitations --------------------------------------------------------------------


def when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    place = f", {event.place}" if event.place else ""
    return f"{start:%d.%m.%Y в %H:%M}{place}"


@receiver(people_invited)
def people_were_invited(sender, event: Event, person_ids: list[int], **kwargs) -> None:
    context = {"event": event.title, "when": when(event), "org_id": event.organisation_id}
    for person in Person.objects.filter(pk__in=person_ids, user__isnull=False).select_related(
        "user"
    ):
        notify(person, "event_invitation", obj=event, context=context)
