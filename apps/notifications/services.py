"""The notification centre: `notify()` for every app, preferences, delivery of what is due.

Lower apps never import this module: `apps/notifications/receivers.py` subscribes to their
signals and model saves, `apps/notifications/reminders.py` finds the time-based events. Apps
above (publicity, monitoring) call `notify()` directly.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.notifications.channels import channels
from apps.notifications.kinds import ALL_KINDS, HIGH, KINDS, Kind, kind
from apps.notifications.models import (
    WAITING,
    ChannelSwitch,
    Delivery,
    DeliveryStatus,
    Notification,
    Preferences,
)
from apps.people.choices import ConsentKind
from apps.people.consents import consent_state
from apps.people.models import Consent

log = logging.getLogger(__name__)

IN_APP, EMAIL = "in_app", "email"


def _user_of(recipient):
    """The account of a User or of a people Person (None — no account to notify)."""
    if recipient is None:
        return None
    if hasattr(recipient, "consents"):  # a Person
        return recipient.user if recipient.user_id else None
    return recipient


def _person_of(user):
    try:
        return user.person
    except ObjectDoesNotExist:  # an account without a Person (a methodist, an administrator)
        return None


def may_notify(user, today: datetime.date | None = None) -> bool:
    """An active account whose person (if any) has not withdrawn the processing consent.

    One query: the processing consents of the account's person (none — no person, or a person
    without that consent yet: nothing withdrawn). An anonymised person's account is deactivated
    by the destruction itself.
    """
    if user is None or not user.is_active:
        return False
    consents = list(Consent.objects.filter(person__user=user, kind=ConsentKind.PROCESSING))
    state = consent_state(consents, ConsentKind.PROCESSING, today or timezone.localdate())
    return state.status != "withdrawn"


def _org_of(obj, user, data: dict):
    if data.get("org_id"):
        return data["org_id"]
    if obj is not None and getattr(obj, "organisation_id", None):
        return obj.organisation_id
    person = _person_of(user)
    return person.organisation_id if person else None


@dataclass(frozen=True)
class Choices:
    """One user's preferences, loaded once per notification."""

    prefs: Preferences | None
    switches: dict[tuple[str, str], bool]

    def enabled(self, kind: Kind, channel: str) -> bool:
        if not kind.allows(channel):
            return False
        return self.switches.get((kind.code, channel), kind.default_on(channel))


def choices_of(user) -> Choices:
    return Choices(
        Preferences.objects.filter(user=user).first(),
        {
            (s.kind, s.channel): s.enabled
            for s in ChannelSwitch.objects.filter(user=user).only("kind", "channel", "enabled")
        },
    )


def quiet_until(prefs: Preferences | None, now: datetime.datetime) -> datetime.datetime | None:
    """When the quiet hours running at `now` end (None — not quiet now)."""
    if prefs is None or prefs.quiet_from is None or prefs.quiet_to is None:
        return None
    start, end = prefs.quiet_from, prefs.quiet_to
    local = timezone.localtime(now)
    moment = local.time()
    if start == end:
        return None
    quiet = start <= moment < end if start < end else (moment >= start or moment < end)
    if not quiet:
        return None
    day = local.date() if moment < end else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end))


def notify(recipient, event: str, *, obj=None, context: dict | None = None, key=None):
    """Tell `recipient` (a User or a Person with an account) about `event`, once.

    `context` fills the kind's texts and link; `key` (default: the object) makes the
    notification unique for the recipient — the same key again sends nothing. Returns the new
    Notification, or None when it was sent before, the person has no account or has withdrawn
    the processing consent.

    Side effects: a Notification row (shown in the in-app list if that channel is on); a
    Delivery per other allowed and enabled channel — queued, postponed to the end of quiet
    hours, or kept for the daily digest; after commit, a background task per queued delivery.
    """
    spec = kind(event)
    user = _user_of(recipient)
    if not may_notify(user):
        return None
    if key is None:
        if obj is None:
            raise ValueError("notify() needs an object or a key")
        key = f"{obj._meta.label_lower}:{obj.pk}"
    full_key = f"{event}:{key}"[:200]
    data = dict(context or {})
    title, text = spec.render(data)
    now = timezone.now()
    # The unique (recipient, key) is the check: a second call fails its insert and stops here.
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                organisation_id=_org_of(obj, user, data),
                recipient=user,
                kind=event,
                key=full_key,
                title=title[:300],
                text=text,
                url=spec.path(data),
                actions=[list(a) for a in spec.action_paths(data)],
                priority=spec.priority,
            )
    except IntegrityError:
        if Notification.objects.filter(recipient=user, key=full_key).exists():
            return None  # sent before (or raced in from another worker just now)
        raise
    picked = choices_of(user)
    if not picked.enabled(spec, IN_APP):
        note.in_app = False
        note.save(update_fields=["in_app"])
    wake = quiet_until(picked.prefs, now)
    deliveries = []
    for code, channel in channels().items():
        if code == IN_APP or not picked.enabled(spec, code) or not channel.available_for(user):
            continue
        status, due = DeliveryStatus.QUEUED, None
        if code == EMAIL and picked.prefs and picked.prefs.digest and spec.priority != HIGH:
            status = DeliveryStatus.DIGEST
        elif wake:
            status, due = DeliveryStatus.POSTPONED, wake
        deliveries.append(Delivery(notification=note, channel=code, status=status, due_at=due))
    Delivery.objects.bulk_create(deliveries)
    queued = [(d.pk, d.due_at) for d in deliveries if d.status in WAITING]
    if queued:
        transaction.on_commit(lambda: _enqueue(queued))
    return note


def _enqueue(items: list[tuple[int, datetime.datetime | None]]) -> None:
    from apps.notifications.tasks import queue

    for pk, due in items:
        queue(pk, due)


# --- reading and marking -----------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def mark_read(*, user, notification: Notification) -> None:
    """Side effects: read_at on the user's own notification (no-op when already read)."""
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(*, user) -> int:
    """Side effects: read_at on every unread notification of the user; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


# --- preferences ----------------------------------------------------------------------------


@transaction.atomic
def save_preferences(
    *, user, enabled: set[tuple[str, str]], quiet_from, quiet_to, digest: bool
) -> Preferences:
    """Store the user's choices: `enabled` lists the (kind, channel) pairs switched on.

    Side effects: the Preferences row; a ChannelSwitch row for every choice that differs from
    the kind's default (others are removed, so a later change of a default reaches them).
    """
    prefs, _ = Preferences.objects.get_or_create(user=user)
    prefs.quiet_from, prefs.quiet_to, prefs.digest = quiet_from, quiet_to, digest
    prefs.save()
    ChannelSwitch.objects.filter(user=user).delete()
    rows = []
    for spec in KINDS.values():
        for code in channels():
            if not spec.allows(code):
                continue
            on = (spec.code, code) in enabled
            if on != spec.default_on(code):
                rows.append(ChannelSwitch(user=user, kind=spec.code, channel=code, enabled=on))
    ChannelSwitch.objects.bulk_create(rows)
    return prefs


@transaction.atomic
def unsubscribe(*, user, event: str, channel: str = EMAIL) -> None:
    """Side effects: the user's switch for `event` (ALL_KINDS: every kind) on `channel` off."""
    codes = list(KINDS) if event == ALL_KINDS else [event]
    for code in codes:
        if KINDS[code].allows(channel):
            ChannelSwitch.objects.update_or_create(
                user=user, kind=code, channel=channel, defaults={"enabled": False}
            )
    if event == ALL_KINDS:
        Preferences.objects.filter(user=user).update(digest=False)
