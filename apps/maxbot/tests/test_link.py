"""Linking MAX from the profile page with a one-time code sent to the bot; unlinking."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.maxbot.models import LinkCode, MaxLink
from apps.maxbot.services import code_hash
from apps.maxbot.tests.conftest import deliver_pushed, link, logged
from tests.factories import UserFactory
from tests.html import text_of

URL = "/accounts/max/"


@pytest.fixture
def webhook(max_stub):
    max_stub.subscriptions.append(
        {"url": "https://school.example/max/webhook/", "secret": "test-webhook_secret-1"}
    )
    return max_stub


def code_from(response) -> str:
    return text_of(response, ".max-code")


def bot_says(stub, user_id) -> list[str]:
    return [m["body"]["text"] for m in stub.messages_to(user_id=user_id)]


def test_it_shows_how_to_link_and_that_it_is_the_stub(db, max_stub):
    response = logged(UserFactory()).get(URL)
    assert response.status_code == 200
    assert text_of(response, "h1") == "Уведомления в MAX"
    stub_note = "Заглушка MAX (демо), сообщения никуда не уходят."
    assert text_of(response, ".max-stub").startswith(stub_note)
    assert text_of(response, ".max-link button") == "Получить код"


def test_it_says_when_max_is_not_configured(db, settings):
    settings.MAX_BOT_TOKEN = ""
    client = logged(UserFactory())
    assert "не подключён администратором" in text_of(client.get(URL), ".max-link")
    client.post(URL)
    assert LinkCode.objects.count() == 0


def test_a_code_sent_to_the_bot_links_the_account(db, webhook):
    user = UserFactory()
    code = code_from(logged(user).post(URL))
    assert len(code) == 9
    assert code[4] == "-"
    stored = LinkCode.objects.get(user=user)
    assert stored.code_hash == code_hash(code)
    assert code.replace("-", "") not in stored.code_hash
    webhook.user_writes(1001, code.lower())
    assert [r.status_code for r in deliver_pushed(webhook)] == [200]
    assert MaxLink.objects.get(user=user).max_user_id == 1001
    assert bot_says(webhook, 1001)[0].startswith("Готово: MAX подключён")
    page = logged(user).get(URL)
    assert text_of(page, ".max-link strong") == "MAX подключён"


def test_a_code_works_once(db, webhook):
    user = UserFactory()
    code = code_from(logged(user).post(URL))
    webhook.user_writes(1001, code)
    webhook.user_writes(2002, code)
    deliver_pushed(webhook)
    assert list(MaxLink.objects.values_list("max_user_id", flat=True)) == [1001]
    assert bot_says(webhook, 2002)[0].startswith("Код не подошёл")


def test_an_expired_code_links_nothing(db, webhook):
    user = UserFactory()
    code = code_from(logged(user).post(URL))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        webhook.user_writes(1001, code)
        deliver_pushed(webhook)
    assert not MaxLink.objects.exists()


def test_a_new_code_replaces_the_old_one(db, webhook):
    client = logged(user := UserFactory())
    first = code_from(client.post(URL))
    code_from(client.post(URL))
    webhook.user_writes(1001, first)
    deliver_pushed(webhook)
    assert not MaxLink.objects.filter(user=user).exists()


def test_the_bot_stops_checking_after_five_wrong_codes(db, webhook):
    user = UserFactory()
    code = code_from(logged(user).post(URL))
    for _ in range(5):
        webhook.user_writes(1001, "ZZZZ-ZZZZ")
    webhook.user_writes(1001, code)
    deliver_pushed(webhook)
    assert not MaxLink.objects.exists()
    assert bot_says(webhook, 1001)[-1].startswith("Слишком много неверных кодов")


def test_other_text_gets_help_and_start_gets_a_welcome(db, webhook):
    webhook.user_writes(1001, "Привет")
    webhook.user_starts(1001)
    deliver_pushed(webhook)
    said = bot_says(webhook, 1001)
    assert said[0].startswith("Отправьте код")
    assert said[1].startswith("Здравствуйте!")


def test_the_user_unlinks_from_the_profile(db, max_stub):
    user = UserFactory()
    link(user, 1001)
    client = logged(user)
    assert client.get(reverse("maxbot:unlink")).status_code == 405
    response = client.post(reverse("maxbot:unlink"))
    assert response.status_code == 302
    assert not MaxLink.objects.exists()


def test_the_user_unlinks_with_a_bot_command(db, webhook):
    link(UserFactory(), 1001)
    webhook.user_writes(1001, "/stop")
    deliver_pushed(webhook)
    assert not MaxLink.objects.exists()
    assert bot_says(webhook, 1001) == [
        "Уведомления «Наставника» в MAX отключены. Подключить снова можно в профиле."
    ]


def test_linking_moves_a_max_account_from_someone_else(db, webhook):
    earlier = UserFactory()
    link(earlier, 1001)
    user = UserFactory()
    webhook.user_writes(1001, code_from(logged(user).post(URL)))
    deliver_pushed(webhook)
    assert list(MaxLink.objects.values_list("user_id", flat=True)) == [user.pk]


def test_the_pages_need_a_login(db, max_stub):
    from django.test import Client

    assert Client().get(URL).status_code == 302
    assert Client().post(reverse("maxbot:unlink")).status_code == 302
