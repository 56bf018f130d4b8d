"""The VK, OK and Telegram connectors against `SocialStub` on an `httpx.MockTransport`.

Only `test_connection_refused_is_retryable` opens a real socket: it proves that what the real
transport raises for a closed port is mapped to a retryable error, which a mock cannot show.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from apps.publicity.social.base import Credentials, Outgoing, Photo, SocialError
from apps.publicity.social.ok import OkConnector, sign
from apps.publicity.social.registry import CONNECTORS, NETWORK_CHOICES, get_connector
from apps.publicity.social.telegram import TelegramConnector, utf16_len
from apps.publicity.social.vk import VkConnector
from apps.publicity.tests import stubs
from apps.publicity.tests.stubs import (
    OK_APPLICATION_KEY,
    OK_SECRET_KEY,
    OK_TOKEN,
    TELEGRAM_TOKEN,
    VK_TOKEN,
    SocialStub,
    ok_signature,
)

social_stub = stubs.social_stub  # the shared fixture; importing it by name would trip F811

LINK = "https://school.example.ru/news/42/"
POST = Outgoing(title="День наставника", text="Первый абзац.\n\nВторой абзац.", link=LINK)
JPEG = Photo("first.jpg", b"\xff\xd8\xff\xe0" + b"1" * 2000, "image/jpeg")
PNG = Photo("second.png", b"\x89PNG\r\n\x1a\n" + b"2" * 3000, "image/png")
WEBP = Photo("третье.webp", b"RIFF" + b"3" * 1500, "image/webp")

VK_CREDS = Credentials(target="12345", token=VK_TOKEN)
OK_CREDS = Credentials(
    target="5555",
    token=OK_TOKEN,
    extra={"application_key": OK_APPLICATION_KEY, "application_secret_key": OK_SECRET_KEY},
)
TG_CREDS = Credentials(target="@nastavnik_school", token=TELEGRAM_TOKEN)


@pytest.fixture
def client(social_stub) -> Iterator[httpx.Client]:
    with social_stub.client() as http:
        yield http


def with_photos(*photos: Photo, post: Outgoing = POST) -> Outgoing:
    return Outgoing(title=post.title, text=post.text, link=post.link, photos=photos)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


def publish_vk(stub: SocialStub, client: httpx.Client, post: Outgoing = POST, creds=VK_CREDS):
    return VkConnector().publish(creds, post, base_url=stub.base_urls["vk"], client=client)


def publish_ok(stub: SocialStub, client: httpx.Client, post: Outgoing = POST, creds=OK_CREDS):
    return OkConnector().publish(creds, post, base_url=stub.base_urls["ok"], client=client)


def publish_tg(stub: SocialStub, client: httpx.Client, post: Outgoing = POST, creds=TG_CREDS):
    return TelegramConnector().publish(
        creds, post, base_url=stub.base_urls["telegram"], client=client
    )


# --- registry ------------------------------------------------------------------------------------


def test_registry_lists_the_four_networks_in_order():
    assert NETWORK_CHOICES == [
        ("vk", "ВКонтакте"),
        ("ok", "Одноклассники"),
        ("telegram", "Telegram"),
        ("max", "MAX"),
    ]
    assert isinstance(get_connector("ok"), OkConnector)
    assert CONNECTORS["telegram"].target_label == "Канал (@имя) или chat_id"
    assert CONNECTORS["ok"].extra_fields == (
        ("application_key", "Публичный ключ приложения"),
        ("application_secret_key", "Секретный ключ приложения"),
    )
    assert CONNECTORS["vk"].extra_fields == ()
    with pytest.raises(KeyError):
        get_connector("icq")


# --- VK ------------------------------------------------------------------------------------------


def test_vk_text_only_is_one_wall_post(social_stub, client):
    published = publish_vk(social_stub, client)

    assert published.remote_id == "101"
    assert published.url == "https://vk.com/wall-12345_101"
    assert social_stub.methods("vk") == ["wall.post"]
    fields = social_stub.calls("vk", "wall.post")[0].fields
    assert fields["owner_id"] == "-12345"
    assert fields["from_group"] == "1"
    assert fields["message"] == f"День наставника\n\nПервый абзац.\n\nВторой абзац.\n\n{LINK}"
    assert fields["attachments"] == LINK
    assert fields["access_token"] == VK_TOKEN
    assert fields["v"] == "5.199"


def test_vk_uploads_each_photo_then_posts_with_attachments(social_stub, client):
    published = publish_vk(social_stub, client, with_photos(JPEG, PNG))

    upload_flow = ["photos.getWallUploadServer", "upload", "photos.saveWallPhoto"]
    assert social_stub.methods("vk") == [*upload_flow, *upload_flow, "wall.post"]
    assert all(
        c.fields["group_id"] == "12345"
        for c in social_stub.calls("vk", "photos.getWallUploadServer")
    )
    uploads = social_stub.calls("vk", "upload")
    assert [(f.field, f.filename, f.size, f.content_type) for u in uploads for f in u.files] == [
        ("photo", "first.jpg", 2004, "image/jpeg"),
        ("photo", "second.png", 3008, "image/png"),
    ]
    saves = social_stub.calls("vk", "photos.saveWallPhoto")
    for upload, save in zip(uploads, saves, strict=True):
        assert save.fields["server"] == str(upload.response["server"])
        assert save.fields["hash"] == upload.response["hash"]
        assert save.fields["photo"] == upload.response["photo"]
    wall = social_stub.calls("vk", "wall.post")[0]
    assert wall.fields["owner_id"] == "-12345"
    assert wall.fields["from_group"] == "1"
    assert wall.fields["attachments"] == f"photo-12345_457239002,photo-12345_457239004,{LINK}"
    assert published.remote_id == "105"
    assert published.url == "https://vk.com/wall-12345_105"


def test_vk_accepts_club_prefix_and_minus_in_the_target(social_stub, client):
    published = publish_vk(
        social_stub, client, creds=Credentials(target="club12345", token=VK_TOKEN)
    )

    assert published.url == "https://vk.com/wall-12345_101"
    assert social_stub.calls("vk", "wall.post")[0].fields["owner_id"] == "-12345"


def test_vk_rejects_a_non_numeric_target_without_calling_the_api(social_stub, client):
    with pytest.raises(SocialError) as error:
        publish_vk(social_stub, client, creds=Credentials(target="school1", token=VK_TOKEN))

    assert error.value.retryable is False
    assert "ID сообщества" in error.value.message
    assert social_stub.requests == []


@pytest.mark.parametrize("code_mode", ["rate_limit", "server_error", "http_429"])
def test_vk_temporary_failures_are_retryable(social_stub, client, code_mode):
    social_stub.fail("vk", code_mode)

    with pytest.raises(SocialError) as error:
        publish_vk(social_stub, client)

    assert error.value.retryable is True
    assert social_stub.calls("vk", "wall.post")[0].failed == code_mode
    expected = {"rate_limit": "(код 6)", "server_error": "HTTP 500", "http_429": "HTTP 429"}
    assert expected[code_mode] in error.value.message


def test_vk_http_429_passes_retry_after(social_stub, client):
    social_stub.fail("vk", "http_429")

    with pytest.raises(SocialError) as error:
        publish_vk(social_stub, client)

    assert error.value.retry_after == 3.0


def test_vk_invalid_token_is_final_with_a_russian_message(social_stub, client):
    social_stub.fail("vk", "invalid_token")

    with pytest.raises(SocialError) as error:
        publish_vk(social_stub, client, with_photos(JPEG))

    assert error.value.retryable is False
    assert error.value.message.startswith(
        "ВКонтакте: ключ доступа сообщества недействителен или отозван (код 5)"
    )
    assert social_stub.methods("vk") == ["photos.getWallUploadServer"]


def test_vk_wrong_token_is_refused_by_the_api(social_stub, client):
    with pytest.raises(SocialError) as error:
        publish_vk(social_stub, client, creds=Credentials(target="12345", token="vk1.a.revoked"))

    assert error.value.retryable is False
    assert "(код 5)" in error.value.message
    assert social_stub.calls("vk")[0].response["error"]["error_code"] == 5


def test_vk_photos_with_a_community_token_explain_error_27():
    stub = SocialStub(vk_token_kind="group")

    with stub.client() as client, pytest.raises(SocialError) as error:
        publish_vk(stub, client, with_photos(JPEG))

    assert stub.methods("vk") == ["photos.getWallUploadServer"]
    assert error.value.retryable is False
    assert "(код 27)" in error.value.message


def test_vk_retry_after_a_failure_succeeds(social_stub, client):
    social_stub.fail("vk", "rate_limit")
    with pytest.raises(SocialError):
        publish_vk(social_stub, client)

    published = publish_vk(social_stub, client)

    assert published.remote_id == "101"
    assert [c.failed for c in social_stub.calls("vk")] == ["rate_limit", ""]


# --- OK ------------------------------------------------------------------------------------------


def test_ok_signature_matches_a_hand_computed_value():
    params = {"method": "mediatopic.post", "application_key": "APPKEY", "format": "json"}
    session_secret = hashlib.md5(b"tokenSECRET", usedforsecurity=False).hexdigest()
    text = "application_key=APPKEYformat=jsonmethod=mediatopic.post" + session_secret
    expected = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

    assert sign(params, "token", "SECRET") == expected
    assert sign({**params, "access_token": "token", "sig": "x"}, "token", "SECRET") == expected


def test_ok_text_only_is_one_signed_mediatopic_post(social_stub, client):
    published = publish_ok(social_stub, client)

    assert social_stub.methods("ok") == ["mediatopic.post"]
    call = social_stub.calls("ok")[0]
    fields = call.fields
    assert fields["gid"] == "5555"
    assert fields["type"] == "GROUP_THEME"
    assert fields["format"] == "json"
    assert fields["application_key"] == OK_APPLICATION_KEY
    assert fields["access_token"] == OK_TOKEN
    assert fields["sig"] == ok_signature(fields, OK_TOKEN, OK_SECRET_KEY)
    assert fields["sig"] == fields["sig"].lower()
    assert json.loads(fields["attachment"]) == {
        "media": [
            {"type": "text", "text": "День наставника\n\nПервый абзац.\n\nВторой абзац."},
            {"type": "link", "url": LINK},
        ]
    }
    assert call.status == 200
    assert published.remote_id == "155000000001"
    assert published.url == "https://ok.ru/group/5555/topic/155000000001"


def test_ok_uploads_photos_and_attaches_their_tokens(social_stub, client):
    published = publish_ok(social_stub, client, with_photos(JPEG, PNG, WEBP))

    assert social_stub.methods("ok") == ["photosV2.getUploadUrl", "upload", "mediatopic.post"]
    upload_url_call = social_stub.calls("ok", "photosV2.getUploadUrl")[0]
    assert upload_url_call.fields["gid"] == "5555"
    assert upload_url_call.fields["count"] == "3"
    upload = social_stub.calls("ok", "upload")[0]
    assert [(f.field, f.filename, f.size) for f in upload.files] == [
        ("pic1", "first.jpg", 2004),
        ("pic2", "second.png", 3008),
        ("pic3", "третье.webp", 1504),
    ]
    photo_ids = upload_url_call.response["photo_ids"]
    tokens = [upload.response["photos"][photo_id]["token"] for photo_id in photo_ids]
    topic = social_stub.calls("ok", "mediatopic.post")[0]
    media = json.loads(topic.fields["attachment"])["media"]
    assert [item["type"] for item in media] == ["text", "link", "photo"]
    assert media[2] == {"type": "photo", "list": [{"id": token} for token in tokens]}
    assert len(set(tokens)) == 3
    for call in (upload_url_call, topic):
        assert call.fields["sig"] == ok_signature(call.fields, OK_TOKEN, OK_SECRET_KEY)
    assert published.remote_id == "155000000002"


def test_ok_wrong_secret_key_is_a_signature_error(social_stub, client):
    creds = Credentials(
        target="5555",
        token=OK_TOKEN,
        extra={"application_key": OK_APPLICATION_KEY, "application_secret_key": "WRONG"},
    )

    with pytest.raises(SocialError) as error:
        publish_ok(social_stub, client, creds=creds)

    assert error.value.retryable is False
    assert "неверная подпись запроса (код 104)" in error.value.message
    assert social_stub.calls("ok")[0].response["error_code"] == 104


def test_ok_missing_application_keys_stop_before_any_call(social_stub, client):
    with pytest.raises(SocialError) as error:
        publish_ok(social_stub, client, creds=Credentials(target="5555", token=OK_TOKEN))

    assert error.value.retryable is False
    assert "ключи приложения" in error.value.message
    assert social_stub.requests == []


@pytest.mark.parametrize(
    ("mode", "fragment", "retry_after"),
    [
        ("rate_limit", "(код 8)", None),
        ("http_429", "HTTP 429", 3.0),
        ("server_error", "HTTP 500", None),
    ],
)
def test_ok_temporary_failures_are_retryable(social_stub, client, mode, fragment, retry_after):
    social_stub.fail("ok", mode)

    with pytest.raises(SocialError) as error:
        publish_ok(social_stub, client, with_photos(JPEG))

    assert error.value.retryable is True
    assert fragment in error.value.message
    assert error.value.retry_after == retry_after
    assert social_stub.methods("ok") == ["photosV2.getUploadUrl"]


def test_ok_expired_token_is_final_with_a_russian_message(social_stub, client):
    social_stub.fail("ok", "invalid_token")

    with pytest.raises(SocialError) as error:
        publish_ok(social_stub, client)

    assert error.value.retryable is False
    assert error.value.message.startswith(
        "Одноклассники: срок действия ключа доступа истёк (код 102)"
    )


def test_ok_wrong_token_is_refused_by_the_api(social_stub, client):
    creds = Credentials(target="5555", token="tkn1-other", extra=OK_CREDS.extra)

    with pytest.raises(SocialError) as error:
        publish_ok(social_stub, client, creds=creds)

    assert error.value.retryable is False
    assert "(код 102)" in error.value.message


# --- Telegram ------------------------------------------------------------------------------------


def test_telegram_text_only_is_one_html_message(social_stub, client):
    post = Outgoing(title="Итоги <конкурса>", text="Наставники & молодые педагоги", link=LINK)

    published = publish_tg(social_stub, client, post)

    assert social_stub.methods("telegram") == ["sendMessage"]
    call = social_stub.calls("telegram")[0]
    assert call.path == f"/telegram/bot{TELEGRAM_TOKEN}/sendMessage"
    assert call.fields["chat_id"] == "@nastavnik_school"
    assert call.fields["parse_mode"] == "HTML"
    assert call.fields["text"] == (
        f"<b>Итоги &lt;конкурса&gt;</b>\n\nНаставники &amp; молодые педагоги\n\n{LINK}"
    )
    assert call.response["result"]["text"] == (
        f"Итоги <конкурса>\n\nНаставники & молодые педагоги\n\n{LINK}"
    )
    assert published.remote_id == "101"
    assert published.url == "https://t.me/nastavnik_school/101"


def test_telegram_numeric_chat_has_no_public_url(social_stub, client):
    creds = Credentials(target="-1001234567890", token=TELEGRAM_TOKEN)

    published = publish_tg(social_stub, client, creds=creds)

    assert published.remote_id == "101"
    assert published.url == ""
    assert social_stub.calls("telegram")[0].fields["chat_id"] == "-1001234567890"


def test_telegram_one_photo_is_send_photo_with_a_caption(social_stub, client):
    published = publish_tg(social_stub, client, with_photos(JPEG))

    assert social_stub.methods("telegram") == ["sendPhoto"]
    call = social_stub.calls("telegram")[0]
    assert [(f.field, f.filename, f.size, f.content_type) for f in call.files] == [
        ("photo", "first.jpg", 2004, "image/jpeg")
    ]
    assert call.fields["caption"] == (
        f"<b>День наставника</b>\n\nПервый абзац.\n\nВторой абзац.\n\n{LINK}"
    )
    assert call.fields["parse_mode"] == "HTML"
    assert published.url == "https://t.me/nastavnik_school/101"


def test_telegram_long_caption_is_cut_and_keeps_title_and_link(social_stub, client):
    long_post = Outgoing(title="Длинная новость", text="слово " * 600, link=LINK)

    publish_tg(social_stub, client, with_photos(PNG, post=long_post))

    call = social_stub.calls("telegram")[0]
    assert call.status == 200
    caption = call.response["result"]["caption"]
    assert utf16_len(caption) <= 1024
    assert utf16_len(caption) > 1000
    assert caption.startswith("Длинная новость\n\nслово слово")
    assert caption.endswith(f"слово…\n\n{LINK}")


def test_telegram_long_message_with_emoji_fits_4096_utf16_units(social_stub, client):
    long_post = Outgoing(title="Праздник", text="🎉" * 3000, link=LINK)

    publish_tg(social_stub, client, long_post)

    call = social_stub.calls("telegram")[0]
    assert call.status == 200
    text = call.response["result"]["text"]
    assert 4000 < utf16_len(text) <= 4096
    assert text.endswith(f"…\n\n{LINK}")


def test_telegram_several_photos_are_one_media_group(social_stub, client):
    published = publish_tg(social_stub, client, with_photos(JPEG, PNG, WEBP))

    assert social_stub.methods("telegram") == ["sendMediaGroup"]
    call = social_stub.calls("telegram")[0]
    media = json.loads(call.fields["media"])
    assert [item["media"] for item in media] == [
        "attach://photo0",
        "attach://photo1",
        "attach://photo2",
    ]
    assert (
        media[0]["caption"] == f"<b>День наставника</b>\n\nПервый абзац.\n\nВторой абзац.\n\n{LINK}"
    )
    assert media[0]["parse_mode"] == "HTML"
    assert all("caption" not in item for item in media[1:])
    assert [(f.field, f.filename) for f in call.files] == [
        ("photo0", "first.jpg"),
        ("photo1", "second.png"),
        ("photo2", "третье.webp"),
    ]
    assert [m["message_id"] for m in call.response["result"]] == [101, 102, 103]
    assert published.remote_id == "101"
    assert published.url == "https://t.me/nastavnik_school/101"


def test_telegram_album_is_limited_to_ten_photos(social_stub, client):
    photos = tuple(Photo(f"p{n}.jpg", b"\xff\xd8" + bytes([n]) * 100) for n in range(12))

    publish_tg(social_stub, client, with_photos(*photos))

    call = social_stub.calls("telegram")[0]
    assert call.status == 200
    assert len(json.loads(call.fields["media"])) == 10
    assert len(call.files) == 10


def test_telegram_rate_limit_is_retryable_with_retry_after(social_stub, client):
    social_stub.fail("telegram", "rate_limit")

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client)

    assert error.value.retryable is True
    assert error.value.retry_after == 7.0
    assert "Повтор через 7 с." in error.value.message


def test_telegram_invalid_token_is_final(social_stub, client):
    social_stub.fail("telegram", "invalid_token")

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client)

    assert error.value.retryable is False
    assert error.value.message.startswith("Telegram: токен бота недействителен или отозван (401")


def test_telegram_wrong_token_is_refused_by_the_api(social_stub, client):
    creds = Credentials(target="@nastavnik_school", token="999:wrong")

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client, creds=creds)

    assert error.value.retryable is False
    assert "(401 Unauthorized)" in error.value.message


def test_telegram_bot_without_rights_in_the_channel(social_stub, client):
    creds = Credentials(target="@closed_channel", token=TELEGRAM_TOKEN)

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client, creds=creds)

    assert error.value.retryable is False
    assert error.value.message.startswith(
        "Telegram: бот не может писать в канал — добавьте его администратором"
    )
    assert "403" in error.value.message


def test_telegram_unknown_chat(social_stub, client):
    creds = Credentials(target="https://t.me/no_such_channel", token=TELEGRAM_TOKEN)

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client, creds=creds)

    assert error.value.retryable is False
    assert error.value.message.startswith("Telegram: канал не найден (400")
    assert social_stub.calls("telegram")[0].fields["chat_id"] == "@no_such_channel"


def test_telegram_server_error_is_retryable(social_stub, client):
    social_stub.fail("telegram", "server_error")

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client, with_photos(JPEG, PNG))

    assert error.value.retryable is True
    assert error.value.retry_after is None


def test_telegram_timeout_is_retryable(social_stub, client):
    social_stub.fail("telegram", "timeout")

    with pytest.raises(SocialError) as error:
        publish_tg(social_stub, client)

    assert error.value.retryable is True
    assert "не ответил вовремя" in error.value.message


def test_stub_refuses_unescaped_html_like_telegram(social_stub, client):
    url = f"{social_stub.base_urls['telegram']}/bot{TELEGRAM_TOKEN}/sendMessage"
    data = {"chat_id": "@nastavnik_school", "text": "a < b & c", "parse_mode": "HTML"}

    response = client.post(url, data=data)

    assert response.status_code == 400
    assert "can't parse entities" in response.json()["description"]


# --- every network --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("connector", "creds"),
    [(VkConnector(), VK_CREDS), (OkConnector(), OK_CREDS), (TelegramConnector(), TG_CREDS)],
    ids=["vk", "ok", "telegram"],
)
def test_connection_refused_is_retryable(connector, creds):
    with httpx.Client(timeout=5) as real, pytest.raises(SocialError) as error:
        connector.publish(creds, with_photos(JPEG), base_url=closed_port_url(), client=real)

    assert error.value.retryable is True
    assert "соединиться" in error.value.message
