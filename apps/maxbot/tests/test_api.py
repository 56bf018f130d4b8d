"""The MAX Bot API client against the stub: requests MAX accepts, its errors, the limits."""

import pytest

from apps.maxbot.api import (
    TEXT_LIMIT,
    Button,
    MaxApi,
    MaxBlocked,
    MaxError,
    MaxRateLimited,
    fit_text,
)
from apps.maxbot.ratelimit import RateLimiter
from apps.maxbot.stub import STUB_CHANNEL, STUB_TOKEN, MaxStub


@pytest.fixture
def stub(clock):
    return MaxStub(clock=clock)


def api_of(stub, clock, *, token=STUB_TOKEN, limiter=True) -> MaxApi:
    return MaxApi(
        stub.client(),
        token=token,
        base_url=stub.root,
        limiter=RateLimiter(per_second=30, per_chat_per_second=2, clock=clock) if limiter else None,
        sleep=clock.sleep,
    )


def test_it_sends_text_and_buttons_the_stub_accepts(stub, clock):
    api = api_of(stub, clock)
    buttons = [Button("Открыть анкету", url="https://school.example/s/1/"),
               Button("Задача выполнена", payload="task_done:7")]  # fmt: skip
    message = api.send_message(user_id=1001, text="Напоминание", buttons=buttons)
    assert message["body"]["mid"].startswith("mid.")
    call = stub.calls[-1]
    assert (call.params, call.headers["authorization"]) == ({"user_id": "1001"}, STUB_TOKEN)
    assert call.json["attachments"] == [{"type": "inline_keyboard", "payload": {"buttons": [
        [{"type": "link", "text": "Открыть анкету", "url": "https://school.example/s/1/"}],
        [{"type": "callback", "text": "Задача выполнена", "payload": "task_done:7"}],
    ]}}]  # fmt: skip


def test_it_refuses_a_wrong_token_as_final(stub, clock):
    with pytest.raises(MaxError) as caught:
        api_of(stub, clock, token="wrong").send_message(user_id=1, text="x")
    assert (caught.value.status, caught.value.retryable) == (401, False)
    assert stub.sent == []


def test_it_reports_a_user_who_blocked_the_bot(stub, clock):
    stub.block(1001)
    with pytest.raises(MaxBlocked) as caught:
        api_of(stub, clock).send_message(user_id=1001, text="x")
    assert caught.value.status == 403


def test_it_passes_on_the_platforms_retry_after(stub, clock):
    stub.fail("http_429")
    with pytest.raises(MaxRateLimited) as caught:
        api_of(stub, clock).send_message(user_id=1001, text="x")
    assert (caught.value.retryable, caught.value.retry_after) == (True, 2.0)


def test_a_timeout_is_temporary(stub, clock):
    stub.fail("timeout")
    with pytest.raises(MaxError) as caught:
        api_of(stub, clock).send_message(user_id=1001, text="x")
    assert caught.value.retryable is True


def test_the_stub_refuses_text_over_the_limit(stub, clock):
    with pytest.raises(MaxError) as caught:
        api_of(stub, clock).send_message(user_id=1, text="я" * (TEXT_LIMIT + 1))
    assert caught.value.status == 400
    assert stub.sent == []


def test_fit_text_cuts_the_text_and_keeps_the_link():
    url = "https://school.example/n/1/"
    text = fit_text("Заголовок", "слово " * 2000, url)
    assert len(text) <= TEXT_LIMIT
    assert text.startswith("Заголовок\n\nслово")
    assert text.endswith(f"…\n\nПолностью: {url}")
    assert fit_text("Коротко", "текст", url) == f"Коротко\n\nтекст\n\n{url}"


def test_it_keeps_two_messages_a_second_per_chat_without_429(stub, clock):
    api = api_of(stub, clock)
    for number in range(6):
        api.send_message(user_id=1001, text=f"№{number}")
    assert [c.status for c in stub.calls] == [200] * 6
    assert clock.now - 1000.0 >= 2.5  # six sends into one chat take at least 2.5 s


def test_it_keeps_the_global_limit_across_chats(stub, clock):
    api = api_of(stub, clock)
    for user in range(1, 61):
        api.send_message(user_id=user, text="Привет")
    assert [c.status for c in stub.calls] == [200] * 60
    assert clock.now - 1000.0 >= 59 / 30


def test_without_a_limiter_the_stub_answers_429_per_chat(stub, clock):
    api = api_of(stub, clock, limiter=False)
    api.send_message(user_id=5, text="1")
    api.send_message(user_id=5, text="2")
    with pytest.raises(MaxRateLimited):
        api.send_message(user_id=5, text="3")
    assert len(stub.sent) == 2


def test_the_limiter_defers_instead_of_waiting_long(clock):
    limiter = RateLimiter(per_second=30, per_chat_per_second=2, clock=clock)
    waits = [limiter.reserve("u1", max_wait=1.0) for _ in range(3)]
    assert waits == [0.0, pytest.approx(0.5005), None]  # the third: nothing booked, goes later
    assert limiter.wait_for("u1") == pytest.approx(1.001)
    assert limiter.reserve("u2", max_wait=1.0) == pytest.approx(0.5005 + 1.001 / 30)


def test_it_uploads_an_image_and_sends_it_to_a_channel(stub, clock):
    api = api_of(stub, clock)
    image = api.upload_image("p.jpg", b"\xff\xd8\xff", "image/jpeg")
    message = api.send_message(chat_id=STUB_CHANNEL, text="<b>Новость</b>", images=[image],
                               text_format="html")  # fmt: skip
    assert message["url"].startswith(f"https://max.ru/c/{STUB_CHANNEL}/")
    assert message["body"]["attachments"][0]["type"] == "image"


def test_the_stub_refuses_an_image_that_was_not_uploaded(stub, clock):
    with pytest.raises(MaxError) as caught:
        api_of(stub, clock).send_message(
            chat_id=STUB_CHANNEL, text="x", images=[{"photos": {"h": {"token": "forged"}}}]
        )
    assert caught.value.status == 400


def test_long_polling_goes_on_from_the_marker(stub, clock):
    api = api_of(stub, clock)
    stub.user_writes(1001, "/start")
    stub.user_writes(1001, "ABCD-EFGH")
    updates, marker = api.updates(timeout=0)
    assert [u["message"]["body"]["text"] for u in updates] == ["/start", "ABCD-EFGH"]
    assert api.updates(marker=marker, timeout=0) == ([], marker)


def test_long_polling_is_refused_while_a_webhook_is_subscribed(stub, clock):
    api = api_of(stub, clock)
    api.subscribe("https://school.example/max/webhook/", secret="s3cret-1",
                  update_types=["message_created"])  # fmt: skip
    assert stub.subscriptions[0]["secret"] == "s3cret-1"
    with pytest.raises(MaxError) as caught:
        api.updates(timeout=0)
    assert caught.value.status == 409


def test_the_stub_refuses_a_plain_http_webhook_and_a_bad_secret(stub, clock):
    api = api_of(stub, clock)
    with pytest.raises(MaxError):
        api.subscribe("http://school.example/hook/", secret="s3cret-1", update_types=[])
    with pytest.raises(MaxError):
        api.subscribe("https://school.example/hook/", secret="no", update_types=[])
    assert stub.subscriptions == []


def test_the_stub_refuses_a_token_in_the_query(stub):
    response = stub.client().post(f"{stub.root}/messages?user_id=1&access_token={STUB_TOKEN}",
                                  json={"text": "x"})  # fmt: skip
    assert response.status_code == 401
