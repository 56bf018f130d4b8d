"""The webhook: only MAX (the shared secret) gets in, and a replayed update does nothing twice."""

import logging

import pytest
from django.test import Client

from apps.maxbot.models import MaxLink, ProcessedUpdate
from apps.maxbot.tests.conftest import WEBHOOK_SECRET, deliver, link
from tests.factories import UserFactory


@pytest.fixture
def update(max_stub):
    max_stub.subscriptions.append({"url": "https://x.example/max/webhook/", "secret": "s"})
    return max_stub.user_writes(1001, "/stop")


def test_it_refuses_a_forged_secret_and_logs_it(db, max_stub, update, caplog):
    link(UserFactory(), 1001)
    with caplog.at_level(logging.WARNING, logger="apps.maxbot.views"):
        response = deliver(Client(), update, secret="guess")
    assert response.status_code == 403
    assert "MAX webhook refused" in caplog.text
    assert MaxLink.objects.count() == 1
    assert ProcessedUpdate.objects.count() == 0
    assert max_stub.sent == []


def test_it_refuses_a_missing_secret(db, max_stub, update):
    response = Client().post("/max/webhook/", data=update, content_type="application/json")
    assert response.status_code == 403


def test_it_refuses_everything_when_no_secret_is_configured(db, max_stub, update, settings):
    settings.MAX_WEBHOOK_SECRET = ""
    assert deliver(Client(), update, secret="").status_code == 403


def test_a_replayed_update_is_handled_once(db, max_stub, update):
    link(UserFactory(), 1001)
    client = Client()
    assert [deliver(client, update).status_code for _ in range(3)] == [200, 200, 200]
    assert ProcessedUpdate.objects.count() == 1
    assert len(max_stub.messages_to(user_id=1001)) == 1  # one answer, not three
    assert not MaxLink.objects.exists()


def test_it_needs_no_csrf_token_but_a_post(db, max_stub, update):
    client = Client(enforce_csrf_checks=True)
    assert deliver(client, update).status_code == 200
    assert client.get("/max/webhook/").status_code == 405


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"', "{}"])
def test_it_answers_odd_bodies_without_a_500(db, max_stub, body):
    response = Client().post(
        "/max/webhook/", data=body, content_type="application/json",
        headers={"X-Max-Bot-Api-Secret": WEBHOOK_SECRET},
    )  # fmt: skip
    assert response.status_code in (200, 400)


def test_a_blocked_bot_is_marked_and_start_clears_it(db, max_stub):
    user = UserFactory()
    link(user, 1001)
    client = Client()
    deliver(client, max_stub.user_stops(1001))
    assert MaxLink.objects.get(user=user).blocked_at is not None
    deliver(client, max_stub.user_starts(1001))
    assert MaxLink.objects.get(user=user).blocked_at is None
