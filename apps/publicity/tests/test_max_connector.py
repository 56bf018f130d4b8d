"""Copies of news in the school's MAX channel, against the MAX stub (apps/maxbot/stub.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.maxbot.stub import STUB_CHANNEL, STUB_FORBIDDEN_CHANNEL, STUB_TOKEN
from apps.maxbot.tests.conftest import clock, logged, max_stub  # noqa: F401 (fixtures)
from apps.publicity import delivery
from apps.publicity.models import Delivery, SocialAccount
from apps.publicity.services import add_image, publish
from apps.publicity.social.base import Credentials, Outgoing, SocialError
from apps.publicity.social.max import MaxConnector, compose_html
from apps.publicity.tests.test_publicity import jpeg, new_post
from tests.clock import on_school_day
from tests.html import errors

pytestmark = on_school_day


def max_account(org, target=STUB_CHANNEL, token=STUB_TOKEN) -> SocialAccount:
    return SocialAccount.objects.create(
        organisation=org, network="max", target=str(target), token=token
    )


@pytest.mark.django_db(transaction=True)
def test_a_published_post_goes_to_the_max_channel_with_its_photo(school, max_stub):  # noqa: F811
    max_account(school)
    post = new_post(school, title="Круглый стол", body="Подвели итоги года.")
    add_image(post, jpeg(), alt="Участники", people=[])
    publish(post, networks=["max"])
    sent = Delivery.objects.get(post=post)
    assert sent.status == "sent"
    [message] = max_stub.messages_to(chat_id=STUB_CHANNEL)
    assert sent.remote_id == message["body"]["mid"]
    assert sent.remote_url == f"https://max.ru/c/{STUB_CHANNEL}/{sent.remote_id}"
    assert message["body"]["text"].startswith("<b>Круглый стол</b>\n\nПодвели итоги года.")
    assert f"/news/{post.pk}/" in message["body"]["text"]
    assert [a["type"] for a in message["body"]["attachments"]] == ["image"]
    assert [(c.method, c.path) for c in max_stub.calls] == [
        ("POST", "/uploads"), ("POST", f"/_upload/{max_stub.calls[1].path.rsplit('/', 1)[1]}"),
        ("POST", "/messages"),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_429_is_retried_later_like_the_other_networks(school, max_stub):  # noqa: F811
    max_account(school)
    max_stub.fail("http_429")
    post = publish(new_post(school), networks=["max"])
    item = Delivery.objects.get(post=post)
    assert (item.status, item.attempts) == ("retrying", 1)
    assert item.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=2)
    delivery.due_retries(item.next_attempt_at + datetime.timedelta(seconds=1))
    item.refresh_from_db()
    assert item.status == "sent"
    assert len(max_stub.messages_to(chat_id=STUB_CHANNEL)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("target", "token", "fragment"),
    [
        (STUB_FORBIDDEN_CHANNEL, STUB_TOKEN, "у бота нет прав"),
        (-123, STUB_TOKEN, "чат не найден"),
        (STUB_CHANNEL, "wrong", "токен бота недействителен"),
    ],
)
def test_final_refusals_fail_at_once_with_a_reason(school, max_stub, target, token, fragment):  # noqa: F811
    max_account(school, target=target, token=token)
    post = publish(new_post(school), networks=["max"])
    item = Delivery.objects.get(post=post)
    assert item.status == "failed"
    assert fragment in item.error


def test_a_long_post_fits_4000_characters_with_markup_and_link():
    post = Outgoing("Итоги & планы", "<текст> " * 900, "https://school.example/news/1/")
    text = compose_html(post)
    assert len(text) <= 4000
    assert text.startswith("<b>Итоги &amp; планы</b>")
    assert text.endswith("https://school.example/news/1/")


def test_a_non_numeric_channel_stops_before_any_call(max_stub):  # noqa: F811
    with pytest.raises(SocialError) as caught:
        MaxConnector().publish(
            Credentials("@school", STUB_TOKEN), Outgoing("T", "x", "https://s/1"),
            base_url=max_stub.root, client=max_stub.client(),
        )  # fmt: skip
    assert caught.value.retryable is False
    assert max_stub.calls == []


def test_the_settings_form_takes_a_numeric_chat_id(curator, school, max_stub):  # noqa: F811
    url = reverse("publicity:social", args=[school.pk, "max"])
    client = logged(curator)
    assert errors(client.post(url, {"target": "@school", "token": "t"})) == [
        "Нужен числовой chat_id канала (можно с минусом)."
    ]
    assert (
        client.post(url, {"target": str(STUB_CHANNEL), "token": "t", "is_active": "on"}).status_code
        == 302
    )
    assert SocialAccount.objects.get(network="max").target == str(STUB_CHANNEL)
