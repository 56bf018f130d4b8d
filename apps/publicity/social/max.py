"""MAX: a post in the school's MAX channel through the Bot API (госпаблики are on MAX too).

The school's bot (its own token, an administrator of the channel) sends one message to
`chat_id`: the title in bold, the text and the link, as HTML, cut to MAX's 4000 characters
with «…» and the link kept; photos (up to 12 attachments) are uploaded first with
`POST /uploads` and go as image attachments. The HTTP work is `apps.maxbot.api.MaxApi`, the same
client as the notifications bot; its errors map to `SocialError` with the same retry rules as
the other networks (429, 5xx, timeouts are temporary; a wrong token, a chat the bot may not post
to, an unknown chat are final).
"""

from __future__ import annotations

import html

import httpx

from apps.maxbot.api import TEXT_LIMIT, MaxApi, MaxError
from apps.publicity.social.base import Credentials, Outgoing, Published, SocialError
from apps.publicity.social.telegram import SEPARATOR, _fit

PHOTO_LIMIT = 10  # 12 attachments at most; the rest of a long album stays on the public page


class MaxConnector:
    network = "max"
    label = "MAX"
    target_label = "ID канала (chat_id, число)"
    extra_fields: tuple[tuple[str, str], ...] = ()

    def publish(
        self, creds: Credentials, post: Outgoing, *, base_url: str, client: httpx.Client
    ) -> Published:
        chat_id = normalize_chat(creds.target)
        api = MaxApi(client, token=creds.token, base_url=base_url)
        try:
            images = [
                api.upload_image(photo.filename, photo.content, photo.mime)
                for photo in post.photos[:PHOTO_LIMIT]
            ]
            message = api.send_message(
                chat_id=chat_id, text=compose_html(post), images=images, text_format="html"
            )
        except MaxError as error:
            raise SocialError(
                error.message, retryable=error.retryable, retry_after=error.retry_after
            ) from error
        body = message.get("body") if isinstance(message.get("body"), dict) else {}
        mid = str(body.get("mid") or "")
        if not mid:
            raise SocialError("MAX вернул неожиданный ответ без ID сообщения.", retryable=True)
        return Published(remote_id=mid, url=str(message.get("url") or ""))


def normalize_chat(target: str) -> int:
    value = target.strip()
    if not value.lstrip("-").isdigit():
        raise SocialError("MAX: ID канала должен быть числом (chat_id).", retryable=False)
    return int(value)


def compose_html(post: Outgoing) -> str:
    """Title in bold, body and link, the body (then the title) cut so that the whole text with
    its markup stays within MAX's 4000 characters."""
    title, body, link = post.title.strip(), post.text.strip(), post.link.strip()
    limit = TEXT_LIMIT
    while True:
        short_title, short_body = _fit(title, body, link, limit)
        parts = [f"<b>{_escape(short_title)}</b>" if short_title else "", _escape(short_body),
                 _escape(link)]  # fmt: skip
        text = SEPARATOR.join(part for part in parts if part)
        if len(text) <= TEXT_LIMIT or limit <= 0:
            return text
        limit -= len(text) - TEXT_LIMIT  # markup and escapes took the difference


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
