"""`max_poll` (long polling), `max_webhook` (subscription) and the demo stub's page."""

import pytest
from django.core.management import CommandError, call_command

from apps.maxbot.management.commands.max_stub import render_page
from apps.maxbot.models import MaxLink, PollState
from apps.maxbot.tests.conftest import link
from tests.factories import UserFactory


def test_max_poll_handles_updates_once_and_keeps_the_marker(db, max_stub):
    link(UserFactory(), 1001)
    max_stub.user_writes(1001, "/stop")
    call_command("max_poll", "--once", "--timeout", "0")
    assert not MaxLink.objects.exists()
    assert PollState.objects.get().marker == 1
    call_command("max_poll", "--once", "--timeout", "0")  # nothing new, nothing re-done
    assert len(max_stub.messages_to(user_id=1001)) == 1
    assert max_stub.calls[-1].params["marker"] == "1"


def test_max_poll_says_what_is_wrong_while_a_webhook_is_set(db, max_stub):
    max_stub.subscriptions.append({"url": "https://x.example/max/webhook/", "secret": "s"})
    with pytest.raises(CommandError, match="MAX отклонил запрос"):
        call_command("max_poll", "--once", "--timeout", "0")


def test_max_webhook_subscribes_with_the_secret(db, max_stub):
    call_command("max_webhook", "https://school.example/max/webhook/")
    [subscription] = max_stub.subscriptions
    assert subscription["secret"] == "test-webhook_secret-1"
    assert "message_callback" in subscription["update_types"]
    call_command("max_webhook", "https://school.example/max/webhook/", "--delete")
    assert max_stub.subscriptions == []


def test_commands_refuse_without_a_token(db, settings):
    settings.MAX_BOT_TOKEN = ""
    with pytest.raises(CommandError, match="MAX_BOT_TOKEN"):
        call_command("max_poll", "--once")


def test_the_stub_page_shows_sent_messages_escaped(max_stub):
    max_stub.client().post(
        f"{max_stub.root}/messages?user_id=5",
        json={"text": "<script>x</script>", "attachments": [{"type": "inline_keyboard",
              "payload": {"buttons": [[{"type": "callback", "text": "Готово",
                                         "payload": "task_done:1"}]]}}]},
        headers={"Authorization": max_stub.token},
    )  # fmt: skip
    page = render_page(max_stub)
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'value="task_done:1"' in page
    assert "Заглушка MAX (демо)" in page
