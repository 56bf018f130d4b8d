"""MAX as a notification channel: buttons, limits, blocked bot, unlinked user, long text."""

import pytest
from django.urls import reverse

from apps.maxbot.api import TEXT_LIMIT
from apps.maxbot.channel import MaxChannel
from apps.maxbot.models import MaxLink, SentMessage
from apps.maxbot.tests.conftest import link
from apps.notifications.channels import (
    DeliveryError,
    Message,
    PermanentDeliveryError,
    channels,
)
from tests.factories import UserFactory

SITE = "http://testserver"


@pytest.fixture
def user(db):
    return UserFactory()


def message_for(user, **fields) -> Message:
    values = {
        "recipient_id": user.pk, "kind": "task_due", "title": "Задача через 3 дня",
        "text": "Срок задачи «Посетить урок» — 04.12.2026.", "url": f"{SITE}/my/units/1/",
        "key": f"task_due:1:{user.pk}",
    }  # fmt: skip
    return Message(**(values | fields))


def buttons_of(sent) -> list[dict]:
    keyboards = [a for a in sent["body"]["attachments"] if a["type"] == "inline_keyboard"]
    return [button for row in keyboards[0]["payload"]["buttons"] for button in row]


def test_it_is_registered_with_the_notification_centre():
    assert isinstance(channels()["max"], MaxChannel)


def test_it_is_available_only_to_a_linked_user_who_did_not_stop_the_bot(user, max_stub):
    channel = MaxChannel()
    assert channel.available_for(user) is False
    max_link = link(user, 1001)
    assert channel.available_for(user) is True
    max_link.blocked_at = max_link.linked_at
    max_link.save()
    assert channel.available_for(user) is False


def test_it_sends_text_with_quick_action_buttons(user, max_stub, pair):
    unit, *_rest, task = pair
    link(user, 1001)
    task_url = SITE + reverse("programs:my-task-status", args=[unit.pk, task.pk])
    actions = (
        ("Встреча состоялась", f"{SITE}/my/units/{unit.pk}/"),
        ("Задача выполнена", task_url),
        ("Открыть анкету", f"{SITE}/s/abc/"),
        ("Подписать", f"{SITE}/o/1/documents/5/"),
    )
    MaxChannel().send(message_for(user, actions=actions))
    [sent] = max_stub.messages_to(user_id=1001)
    assert sent["body"]["text"] == (
        f"Задача через 3 дня\n\nСрок задачи «Посетить урок» — 04.12.2026.\n\n{SITE}/my/units/1/"
    )
    assert buttons_of(sent) == [
        {"type": "link", "text": "Встреча состоялась", "url": f"{actions[0][1]}#record-meeting"},
        {"type": "callback", "text": "Задача выполнена", "payload": f"task_done:{task.pk}"},
        {"type": "link", "text": "Открыть анкету", "url": f"{SITE}/s/abc/"},
        {"type": "link", "text": "Подписать", "url": f"{SITE}/o/1/documents/5/"},
    ]


def test_a_long_message_is_cut_with_its_link_kept(user, max_stub):
    link(user, 1001)
    MaxChannel().send(message_for(user, text="очень длинный текст " * 400))
    [sent] = max_stub.messages_to(user_id=1001)
    assert len(sent["body"]["text"]) <= TEXT_LIMIT
    assert sent["body"]["text"].endswith(f"…\n\nПолностью: {SITE}/my/units/1/")


def test_a_blocked_bot_fails_for_good_and_marks_the_link(user, max_stub):
    link(user, 1001)
    max_stub.block(1001)
    with pytest.raises(PermanentDeliveryError):
        MaxChannel().send(message_for(user))
    assert MaxLink.objects.get(user=user).blocked_at is not None
    with pytest.raises(PermanentDeliveryError):  # no more calls to MAX for this person
        MaxChannel().send(message_for(user, key="other"))
    assert [c.status for c in max_stub.calls] == [403]


def test_a_user_who_unlinked_gets_nothing(user, max_stub):
    with pytest.raises(PermanentDeliveryError):
        MaxChannel().send(message_for(user))
    assert max_stub.calls == []


def test_a_429_is_retried_later_and_then_sent_once(user, max_stub):
    link(user, 1001)
    max_stub.fail("http_429")
    with pytest.raises(DeliveryError) as caught:
        MaxChannel().send(message_for(user))
    assert not isinstance(caught.value, PermanentDeliveryError)
    assert caught.value.retry_after == 2.0
    MaxChannel().send(message_for(user))
    MaxChannel().send(message_for(user))  # a retry of an already delivered message
    assert len(max_stub.messages_to(user_id=1001)) == 1
    assert SentMessage.objects.count() == 1


def test_a_timeout_and_an_outage_are_temporary(user, max_stub):
    link(user, 1001)
    max_stub.fail("timeout")
    max_stub.fail("server_error")
    for _ in range(2):
        with pytest.raises(DeliveryError) as caught:
            MaxChannel().send(message_for(user))
        assert not isinstance(caught.value, PermanentDeliveryError)
    assert max_stub.sent == []


def test_over_the_per_chat_limit_a_message_is_deferred_not_dropped(user, max_stub, monkeypatch):
    from apps.maxbot import bot

    link(user, 1001)
    monkeypatch.setattr(bot, "sleep", lambda seconds: None)  # a worker that cannot wait
    channel = MaxChannel()
    channel.send(message_for(user, key="a"))
    channel.send(message_for(user, key="b"))
    with pytest.raises(DeliveryError):
        channel.send(message_for(user, key="c"))
    assert [c.status for c in max_stub.calls] == [200, 200]  # "c" was not even tried
    max_stub.clock.sleep(2)
    channel.send(message_for(user, key="c"))
    assert len(max_stub.messages_to(user_id=1001)) == 3


def test_many_messages_to_one_person_keep_two_a_second(user, max_stub):
    link(user, 1001)
    for number in range(7):
        MaxChannel().send(message_for(user, key=f"k{number}"))
    assert [c.status for c in max_stub.calls] == [200] * 7
