"""Time-based notifications: what is due today, found by queries and sent once each.

`send_due_reminders(now=...)` is run by the `send_reminders` command from the scheduler (every
few minutes is fine): each reminder's key names its object and the date it is about, so a
second run the same day sends nothing new. It also delivers what waited (quiet hours, retries)
and sends the daily digests after NOTIFY_DIGEST_HOUR.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from apps.core.plural import count
from apps.events.models import Event
from apps.notifications.channels import DeliveryError
from apps.notifications.mail import email_message, message_of, send_letter, unsubscribe_url
from apps.notifications.models import Delivery, DeliveryStatus, Preferences, SchoolSettings
from apps.notifications.receivers import day, role_users, unit_context, unit_people, when
from apps.notifications.services import ALL_KINDS, EMAIL, notify
from apps.notifications.tasks import deliver_due
from apps.orgs.choices import Role
from apps.orgs.models import User
from apps.people.models import Consent
from apps.programs.models import PENDING, MentoringUnit, Task, UnitStatus
from apps.surveys.models import Invitation

SURVEY_REMIND_DAYS = 2
TASK_DUE_DAYS = 3
CONSENT_DAYS = 30
DEFAULT_QUIET_UNIT_DAYS = 21
NOTICE_FORMS = ("уведомление", "уведомления", "уведомлений")


def send_due_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Find today's reminders, deliver what is due, send digests; returns counts by kind.

    Side effects: Notification and Delivery rows (see notify); deliveries sent; digests.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = {
        "survey_reminder": survey_reminders(today),
        "meeting_tomorrow": meetings_tomorrow(today),
        "task_due": tasks_due(today),
        "task_overdue": tasks_overdue(today),
        "unit_quiet": quiet_units(today),
        "event_reminder": events_tomorrow(now),
        "consent_expiring": consents_expiring(today),
    }
    sent["delivered"] = deliver_due(now)
    sent["digests"] = send_digests(now)
    return sent


def _sent(results) -> int:
    return sum(1 for note in results if note is not None)


@transaction.atomic
def survey_reminders(today: datetime.date) -> int:
    invitations = Invitation.objects.filter(
        submitted_at__isnull=True, link_revoked_at__isnull=True, person__user__isnull=False,
        campaign__deadline__range=(today, today + datetime.timedelta(days=SURVEY_REMIND_DAYS)),
    ).select_related("person__user", "campaign")  # fmt: skip
    results = []
    for invitation in invitations:
        campaign = invitation.campaign
        days = (campaign.deadline - today).days
        left = f"осталось {count(days, 'день', 'дня', 'дней')}" if days else "последний день"
        results.append(
            notify(
                invitation.person, "survey_reminder", key=f"{invitation.pk}:{campaign.deadline}",
                context={"survey": campaign.title, "deadline": day(campaign.deadline),
                         "left": left, "token": invitation.token,
                         "org_id": campaign.organisation_id},
            )
        )  # fmt: skip
    return _sent(results)


def _open_unit(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": (UnitStatus.DRAFT, UnitStatus.ACTIVE)})


# The diary records meetings that took place; a planned meeting is a ПНП task whose title or
# form of work names a meeting («Встреча с наставником», форма работы «встреча»).
MEETING_WORDS = ("встреч", "Встреч", "ВСТРЕЧ")


def planned_meetings():
    words = Q()
    for word in MEETING_WORDS:
        words |= Q(title__contains=word) | Q(work_form__contains=word)
    return Task.objects.filter(words, status__in=PENDING)


@transaction.atomic
def meetings_tomorrow(today: datetime.date) -> int:
    tomorrow = today + datetime.timedelta(days=1)
    tasks = (
        planned_meetings()
        .filter(_open_unit("programme__unit__"))
        .filter(Q(new_deadline=tomorrow) | Q(new_deadline__isnull=True, deadline=tomorrow))
        .select_related("programme__unit__mentor__user", "programme__unit__co_mentor__user")
        .prefetch_related("programme__unit__members__mentee")
    )
    results = []
    for task in tasks:
        unit = task.programme.unit
        context = {**unit_context(unit), "topic": task.title, "date": day(task.due)}
        for person in unit_people(unit):
            results.append(notify(person, "meeting_tomorrow", obj=task, context=context,
                                  key=f"{task.pk}:{task.due}"))  # fmt: skip
    return _sent(results)


def _task_recipients(task: Task):
    people = [task.responsible]
    if task.mentee_id and task.mentee_id != task.responsible_id:
        people.append(task.mentee)
    return [p for p in people if p.user_id]


def _task_notices(tasks, event: str) -> int:
    results = []
    for task in tasks.select_related("responsible__user", "mentee__user", "programme__unit"):
        unit = task.programme.unit
        context = {"task": task.title, "due": day(task.due), "unit_id": unit.pk,
                   "task_id": task.pk, "org_id": unit.organisation_id}  # fmt: skip
        for person in _task_recipients(task):
            results.append(notify(person, event, obj=task, context=context,
                                  key=f"{task.pk}:{task.due}"))  # fmt: skip
    return _sent(results)


@transaction.atomic
def tasks_due(today: datetime.date) -> int:
    due = today + datetime.timedelta(days=TASK_DUE_DAYS)
    tasks = Task.objects.filter(_open_unit("programme__unit__"), status__in=PENDING).filter(
        Q(new_deadline=due) | Q(new_deadline__isnull=True, deadline=due)
    )
    return _task_notices(tasks, "task_due")


@transaction.atomic
def tasks_overdue(today: datetime.date) -> int:
    tasks = Task.objects.overdue(today).filter(_open_unit("programme__unit__"))
    return _task_notices(tasks, "task_overdue")


@transaction.atomic
def quiet_units(today: datetime.date) -> int:
    """Active units with no diary entry for the school's number of days: mentor and curators."""
    days_of = dict(SchoolSettings.objects.values_list("organisation_id", "quiet_unit_days"))
    units = (
        MentoringUnit.objects.filter(status=UnitStatus.ACTIVE)
        .annotate(last=Max("meetings__date"))
        .select_related("mentor__user", "co_mentor__user")
        .prefetch_related("members__mentee")
    )
    results = []
    for unit in units:
        limit = days_of.get(unit.organisation_id, DEFAULT_QUIET_UNIT_DAYS)
        last = unit.last or unit.start_date
        silent = (today - last).days
        if not limit or silent < limit:
            continue
        context = {
            **unit_context(unit), "days_text": count(silent, "день", "дня", "дней"),
            "last": day(unit.last) if unit.last else "встреч ещё не было",
        }  # fmt: skip
        people = [unit.mentor.user] if unit.mentor.user_id else []
        people += list(role_users(unit.organisation_id, Role.CURATOR))
        for user in people:
            results.append(notify(user, "unit_quiet", obj=unit, context=context,
                                  key=f"{unit.pk}:{last}"))  # fmt: skip
    return _sent(results)


@transaction.atomic
def events_tomorrow(now: datetime.datetime) -> int:
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    events = Event.objects.filter(starts_at__date=tomorrow).prefetch_related(
        "participants__person__user"
    )
    results = []
    for event in events:
        context = {"event": event.title, "when": when(event), "org_id": event.organisation_id}
        for seat in event.participants.all():
            if seat.person and seat.person.user_id:
                results.append(notify(seat.person, "event_reminder", obj=event, context=context,
                                      key=f"{event.pk}:{tomorrow}"))  # fmt: skip
    return _sent(results)


@transaction.atomic
def consents_expiring(today: datetime.date) -> int:
    """A consent ending within 30 days: the school's curators, once per consent and term."""
    soon = today + datetime.timedelta(days=CONSENT_DAYS)
    consents = (
        Consent.objects.valid(today)
        .filter(valid_until__range=(today, soon), person__anonymised_at__isnull=True)
        .select_related("person")
    )
    results = []
    for consent in consents:
        org_id = consent.person.organisation_id
        context = {
            "consent": consent.get_kind_display(), "person": consent.person.short_name,
            "until": day(consent.valid_until), "org_id": org_id, "consent_id": consent.pk,
        }  # fmt: skip
        for curator in role_users(org_id, Role.CURATOR):
            results.append(notify(curator, "consent_expiring", obj=consent, context=context,
                                  key=f"{consent.pk}:{consent.valid_until}"))  # fmt: skip
    return _sent(results)


def send_digests(now: datetime.datetime) -> int:
    """One letter per user with the e-mails kept for the digest, once a day after the hour."""
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFY_DIGEST_HOUR:
        return 0
    waiting = defaultdict(list)
    for delivery in (
        Delivery.objects.filter(status=DeliveryStatus.DIGEST, channel=EMAIL)
        .select_related("notification")
        .order_by("notification__created_at", "pk")
    ):
        waiting[delivery.notification.recipient_id].append(delivery)
    done_today = set(
        Preferences.objects.filter(user__in=list(waiting), digest_sent_on=local.date()).values_list(
            "user_id", flat=True
        )
    )
    users = User.objects.in_bulk([pk for pk in waiting if pk not in done_today])
    sent = 0
    for user_id, user in users.items():
        items = [message_of(d.notification) for d in waiting[user_id]]
        letter = email_message(
            to=user.email,
            subject=f"Наставник: {count(len(items), *NOTICE_FORMS)} за день",
            items=[(m, unsubscribe_url(user_id, m.kind)) for m in items],
            unsubscribe=unsubscribe_url(user_id, ALL_KINDS),
        )  # fmt: skip
        if user.email and user.is_active:
            try:
                send_letter(letter)
            except DeliveryError:
                continue  # the next run tries again: the items stay in the digest
        Delivery.objects.filter(pk__in=[d.pk for d in waiting[user_id]]).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now()
        )
        Preferences.objects.update_or_create(user=user, defaults={"digest_sent_on": local.date()})
        sent += 1
    return sent
