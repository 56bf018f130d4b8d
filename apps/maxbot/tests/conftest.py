import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.maxbot import bot
from apps.maxbot.models import MaxLink
from apps.maxbot.ratelimit import RateLimiter
from apps.maxbot.stub import STUB_TOKEN, MaxStub
from apps.programs.models import Task
from apps.programs.programme import programme_for
from apps.programs.tests.test_units import dicts, make, person  # noqa: F401
from tests.factories import UserFactory

WEBHOOK_SECRET = "test-webhook_secret-1"


class FakeClock:
    """Monotonic time that only moves when someone "sleeps" (no real sleeps in tests)."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def max_stub(monkeypatch, settings, clock) -> MaxStub:
    """The MAX stub on a fake clock; the bot, the channel and social copies talk to it."""
    from apps.publicity import delivery

    cache.clear()  # the bot counts wrong codes per MAX user in the cache
    stub = MaxStub(clock=clock)
    settings.MAX_API_URL = stub.root
    settings.MAX_BOT_TOKEN = STUB_TOKEN
    settings.MAX_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.SOCIAL_API_URLS = {**settings.SOCIAL_API_URLS, "max": stub.root}
    client = stub.client()
    limiter = RateLimiter(
        per_second=settings.MAX_REQUESTS_PER_SECOND,
        per_chat_per_second=settings.MAX_MESSAGES_PER_CHAT_PER_SECOND,
        clock=clock,
    )
    monkeypatch.setattr(bot, "http_client", lambda: client)
    monkeypatch.setattr(bot, "limiter", lambda: limiter)
    monkeypatch.setattr(bot, "sleep", clock.sleep)
    monkeypatch.setattr(delivery, "http_client", stub.client)
    return stub


@pytest.fixture
def pair(school, dicts):  # noqa: F811
    mentor = person(school, user=UserFactory(email="m@example.org"))
    mentee = person(school, experience=1, user=UserFactory(email="y@example.org"))
    start = timezone.localdate() - datetime.timedelta(days=30)
    unit = make(
        school, dicts, mentor, [mentee], start=start, end=start + datetime.timedelta(days=200)
    )
    task = Task.objects.create(
        programme=programme_for(unit), direction="Методика", title="Посетить урок",
        deadline=start + datetime.timedelta(days=40), responsible=mentee,
    )  # fmt: skip
    return unit, mentor, mentee, task


def link(user, max_user_id: int) -> MaxLink:
    return MaxLink.objects.create(user=user, max_user_id=max_user_id)


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deliver(client: Client, update: dict, secret: str = WEBHOOK_SECRET):
    """POST one update to our webhook the way MAX does."""
    return client.post(
        "/max/webhook/",
        data=update,
        content_type="application/json",
        headers={"X-Max-Bot-Api-Secret": secret},
    )


def deliver_pushed(stub: MaxStub) -> list:
    """Send what the stub would have pushed to the subscribed webhook."""
    client = Client()
    answers = [deliver(client, update, secret) for _url, secret, update in stub.pushed]
    stub.pushed.clear()
    return answers
