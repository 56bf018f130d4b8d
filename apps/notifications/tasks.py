"""Delivery of notifications through their channels: one background task per delivery.

A temporary failure (`DeliveryError`, or any unexpected error) is retried with exponential
back-off up to MAIL_MAX_ATTEMPTS; `PermanentDeliveryError` (a blocked bot, an unlinked account,
an address the server refuses) is recorded and not retried. A delivery whose time has not come
(quiet hours, a retry) waits with `due_at`; when the task backend cannot defer, the periodic
`send_reminders` command picks it up (`deliver_due`), so nothing is lost either way.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from apps.notifications.channels import DeliveryError, PermanentDeliveryError, channels
from apps.notifications.mail import message_of
from apps.notifications.models import WAITING, Delivery, DeliveryStatus
from apps.orgs.tasks import retry_delay

log = logging.getLogger(__name__)


def queue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    if run_after is not None and run_after > timezone.now():
        if not default_task_backend.supports_defer:
            return  # deliver_due sends it when its time comes
        deliver.using(run_after=run_after).enqueue(delivery_id)
        return
    deliver.enqueue(delivery_id)


@task()
def deliver(delivery_id: int) -> str:
    return deliver_now(delivery_id)


def deliver_now(delivery_id: int, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    # Claim it in one conditional UPDATE (atomic on every database): a second worker with the
    # same id updates nothing and stops. Until this attempt ends, the delivery looks like a
    # retry due later, so a worker that dies here leaves it to `deliver_due`, not lost.
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status__in=WAITING)
        .filter(Q(due_at__isnull=True) | Q(due_at__lte=now))
        .update(
            status=DeliveryStatus.RETRYING, attempts=F("attempts") + 1,
            due_at=now + retry_delay(settings.MAIL_MAX_ATTEMPTS), updated_at=now,
        )
    )  # fmt: skip
    if not claimed:
        status = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return status or "missing"
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    channel = channels().get(delivery.channel)
    try:
        if channel is None:
            raise PermanentDeliveryError(f"канал «{delivery.channel}» не подключён")
        channel.send(message_of(delivery.notification))
    except PermanentDeliveryError as error:
        return _finish(delivery, DeliveryStatus.FAILED, str(error) or type(error).__name__)
    except Exception as error:  # DeliveryError or unexpected: recorded and retried, never lost
        log.warning("delivery %s via %s failed: %r", delivery.pk, delivery.channel, error)
        reason = str(error) if isinstance(error, DeliveryError) else type(error).__name__
        if delivery.attempts >= settings.MAIL_MAX_ATTEMPTS:
            return _finish(delivery, DeliveryStatus.FAILED, reason)
        later = now + retry_delay(delivery.attempts)
        Delivery.objects.filter(pk=delivery.pk).update(last_error=reason[:500], due_at=later)
        transaction.on_commit(lambda: queue(delivery.pk, later))
        return DeliveryStatus.RETRYING
    return _finish(delivery, DeliveryStatus.SENT, "", sent_at=timezone.now())


def _finish(delivery: Delivery, status: str, reason: str, sent_at=None) -> str:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, last_error=reason[:500], sent_at=sent_at, due_at=None,
        updated_at=timezone.now(),
    )  # fmt: skip
    return status


def deliver_due(now: datetime.datetime | None = None, limit: int = 5000) -> int:
    """Send the waiting deliveries whose time has come (quiet hours over, retry due)."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status__in=WAITING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver_now(pk, now) == DeliveryStatus.SENT for pk in due)
