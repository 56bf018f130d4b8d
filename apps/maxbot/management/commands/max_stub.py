"""The local MAX stub for the demo: `manage.py max_stub --port 8025`.

Serves `apps.maxbot.stub.MaxStub` over HTTP on 127.0.0.1 with the token MAX_BOT_TOKEN, and a
page at /_stub/ that shows what the bot sent and lets you write to the bot or press its buttons
as a MAX user. `--webhook http://127.0.0.1:8000/max/webhook/` subscribes that address at
start (with MAX_WEBHOOK_SECRET), so the demo gets updates without `max_poll`.
"""

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand

from apps.maxbot.stub import MaxStub


def _push(url: str, secret: str, update: dict) -> None:
    # The web server may be the one that is busy: deliver in the background.
    def send() -> None:
        try:
            httpx.post(url, json=update, headers={"X-Max-Bot-Api-Secret": secret}, timeout=10)
        except httpx.HTTPError as error:
            print(f"max_stub: webhook {url} failed: {error}")

    threading.Thread(target=send, daemon=True).start()


class Command(BaseCommand):
    help = "Локальная заглушка MAX Bot API для демо (сообщения никуда не уходят)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--webhook", default="", help="адрес вебхука для подписки")

    def handle(self, *args, port: int, webhook: str, **options):
        root = f"http://127.0.0.1:{port}"
        stub = MaxStub(token=settings.MAX_BOT_TOKEN or "stub-max-bot-token", root=root,
                       push=_push)  # fmt: skip
        if webhook:
            stub.subscriptions.append(
                {"url": webhook, "secret": settings.MAX_WEBHOOK_SECRET, "update_types": []}
            )
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(stub))
        self.stdout.write(f"Заглушка MAX: {root} (страница {root}/_stub/)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def _handler(stub: MaxStub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            return

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(min(length, 50 * 1024 * 1024))

        def _api(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.startswith("/_stub"):
                self._page(parts.path)
                return
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = stub.dispatch(self.command, parts.path, params, headers, self._body())
            data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = do_PUT = _api

        def _page(self, path: str) -> None:
            if self.command == "POST":
                form = dict(parse_qsl(self._body().decode("utf-8")))
                user_id = int(form.get("user_id") or 0) if form.get("user_id", "").isdigit() else 0
                if user_id and path == "/_stub/write" and form.get("text", "").strip():
                    stub.user_writes(user_id, form["text"].strip())
                elif user_id and path == "/_stub/press" and form.get("payload"):
                    stub.user_presses(user_id, form["payload"])
                elif user_id and path == "/_stub/start":
                    stub.user_starts(user_id)
                self.send_response(303)
                self.send_header("Location", "/_stub/")
                self.end_headers()
                return
            data = render_page(stub).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def render_page(stub: MaxStub) -> str:
    esc = html.escape
    rows = []
    with stub.lock:
        sent = list(reversed(stub.sent[-50:]))
        answers = list(reversed(stub.answers[-20:]))
    for message in sent:
        recipient = message["recipient"]
        target = recipient.get("user_id") or recipient.get("chat_id")
        buttons = []
        for attachment in message["body"].get("attachments") or []:
            if attachment.get("type") != "inline_keyboard":
                continue
            for row in attachment["payload"]["buttons"]:
                for button in row:
                    if button["type"] == "link":
                        buttons.append(f'<a href="{esc(button["url"])}">{esc(button["text"])}</a>')
                    elif "user_id" in recipient:
                        buttons.append(
                            '<form method="post" action="/_stub/press">'
                            f'<input type="hidden" name="user_id" value="{recipient["user_id"]}">'
                            f'<input type="hidden" name="payload" value="{esc(button["payload"])}">'
                            f"<button>{esc(button['text'])}</button></form>"
                        )
        rows.append(
            f"<li><b>→ {esc(str(target))}</b><pre>{esc(message['body']['text'])}</pre>"
            f"{' '.join(buttons)}</li>"
        )
    notes = "".join(f"<li>{esc(a.get('notification') or '')}</li>" for a in answers)
    return f"""<!doctype html><html lang="ru"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Заглушка MAX</title>
<style>body{{font-family:sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem}}
pre{{white-space:pre-wrap;background:#f4f6f8;padding:.5rem}}form{{display:inline}}</style>
<h1>Заглушка MAX (демо)</h1><p>Сообщения никуда не уходят: здесь видно, что «отправил» бот.</p>
<h2>Написать боту от имени пользователя MAX</h2>
<form method="post" action="/_stub/write"><label>ID пользователя MAX
<input name="user_id" value="1001" inputmode="numeric"></label>
<label>Текст <input name="text" placeholder="код, /start или /stop"></label>
<button>Отправить</button></form>
<h2>Ответы на кнопки</h2><ul>{notes or "<li>пока нет</li>"}</ul>
<h2>Сообщения бота</h2><ul>{"".join(rows) or "<li>пока нет</li>"}</ul></html>"""
