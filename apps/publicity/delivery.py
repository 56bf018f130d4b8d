"""Copies of published posts on the school's social pages, sent by background tasks.

Each (post, page) pair is one `Delivery`. A failure the network says is temporary (rate limit,
server error, timeout) is tried again with exponential back-off, up to `SOCIAL_MAX_ATTEMPTS`;
anything else fails at once with the network's reason in Russian, shown on the post's page.
With the database task backend the retry is enqueued with `run_after`; without deferral
support (tests, `TASKS_IMMEDIATE`) `manage.py publicity_daily` picks up due retries.
"""

from __future__ import annotations

import datetime
import logging

import httpx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from apps.publicity.models import Delivery, DeliveryStatus, Post
from apps.publicity.social.base import Credentials, Outgoing, Photo, SocialError
from apps.publicity.social.registry import get_connector
from apps.publicity.text import plain_text

log = logging.getLogger(__name__)


def post_url(post: Post) -> str:
    path = reverse("publicity:post", args=[post.organisation.slug, post.pk])
    return settings.SITE_URL.rstrip("/") + path


def outgoing(post: Post) -> Outgoing:
    photos = []
    for image in post.images.all()[:10]:
        with image.image.open("rb") as handle:
            photos.append(Photo(f"photo{image.pk}.jpg", handle.read(), "image/jpeg"))
    return Outgoing(post.title, plain_text(post.body), post_url(post), tuple(photos))


def backoff(attempts: int, retry_after: float | None) -> datetime.timedelta:
    seconds = settings.SOCIAL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    if retry_after:
        seconds = max(seconds, retry_after)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def queue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    job = deliver
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # picked up by `manage.py publicity_daily`
        job = deliver.using(run_after=run_after)
    job.enqueue(delivery_id)


@task()
def deliver(delivery_id: int) -> str:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("post__organisation", "account")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            return delivery.status if delivery else "missing"
        delivery.attempts += 1
        delivery.save(update_fields=["attempts", "updated_at"])
    return _send(delivery)


def http_client() -> httpx.Client:
    """The client connectors send through; tests give one on the stub's `httpx.MockTransport`."""
    return httpx.Client(timeout=settings.SOCIAL_TIMEOUT_SECONDS)


def _send(delivery: Delivery) -> str:
    account = delivery.account
    connector = get_connector(account.network)
    creds = Credentials(account.target, account.token, dict(account.extra or {}))
    try:
        with http_client() as client:
            result = connector.publish(
                creds,
                outgoing(delivery.post),
                base_url=settings.SOCIAL_API_URLS[account.network],
                client=client,
            )
    except SocialError as error:
        return _failed(delivery, error)
    delivery.status, delivery.error = DeliveryStatus.SENT, ""
    delivery.remote_id, delivery.remote_url = result.remote_id, result.url
    delivery.next_attempt_at = None
    delivery.save()
    return delivery.status


def _failed(delivery: Delivery, error: SocialError) -> str:
    log.warning(
        "social delivery %s to %s failed (attempt %s): %s",
        delivery.pk, delivery.account.network, delivery.attempts, error.message,
    )  # fmt: skip
    delivery.error = error.message
    if error.retryable and delivery.attempts < settings.SOCIAL_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts, error.retry_after)
        delivery.save()
        transaction.on_commit(lambda: queue(delivery.pk, delivery.next_attempt_at))
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        if error.retryable:
            delivery.error += f" Попыток: {delivery.attempts}, сеть так и не ответила."
        delivery.save()
    return delivery.status


def retry(delivery: Delivery) -> None:
    """The curator's «Повторить»: a failed copy starts over (e.g. after fixing the token)."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.QUEUED, 0, None
    delivery.save()
    transaction.on_commit(lambda: queue(delivery.pk))


def due_retries(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            status=DeliveryStatus.RETRYING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        deliver.enqueue(pk)
    return len(due)
