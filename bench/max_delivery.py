"""MAX channel: 10 000 notifications delivered to the local MAX stub over HTTP (goal ≥ 200/s).

Each message goes through `MaxChannel.send` (link lookup, the once-per-key check, the rate
limiter, the HTTP call, the record of the sent key) to `manage.py max_stub`'s server on
127.0.0.1. 5 000 linked users get two messages each, so the per-chat limit (2 messages/s) is
kept and checked by the stub (a 429 would fail the run); the bot-wide limit is raised for the
stub (MAX itself allows about 30 requests/s, i.e. 10 000 messages take ≥ 5.5 minutes there).
"""

import logging
import os
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-max-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("MAX_REQUESTS_PER_SECOND", "100000")
os.environ.setdefault("MAX_BOT_TOKEN", "stub-max-bot-token")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.urls import resolve  # noqa: E402

from apps.maxbot import bot  # noqa: E402
from apps.maxbot.channel import MaxChannel  # noqa: E402
from apps.maxbot.management.commands.max_stub import _handler  # noqa: E402
from apps.maxbot.models import MaxLink  # noqa: E402
from apps.maxbot.stub import MaxStub  # noqa: E402
from apps.notifications.channels import Message  # noqa: E402
from apps.orgs.models import User  # noqa: E402

COUNT = int(os.environ.get("BENCH_MAX_MESSAGES", "10000"))
PER_USER = 2


def main() -> None:
    call_command("migrate", verbosity=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(None))
    port = server.server_address[1]
    stub = MaxStub(token=settings.MAX_BOT_TOKEN, root=f"http://127.0.0.1:{port}",
                   per_second=100_000)  # fmt: skip
    server.RequestHandlerClass = _handler(stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MAX_API_URL = stub.root
    bot.reset()

    users = COUNT // PER_USER
    User.objects.bulk_create(User(email=f"u{n}@bench.example") for n in range(users))
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    MaxLink.objects.bulk_create(MaxLink(user_id=pk, max_user_id=10_000 + pk) for pk in ids)
    messages = [
        Message(
            recipient_id=pk,
            kind="task_due",
            title="Срок задачи — 04.12.2026",
            text="Задача ПНП «Посетить урок» должна быть выполнена до 04.12.2026.",
            url=f"http://127.0.0.1:8000/my/units/{pk}/",
            actions=(("Встреча состоялась", f"http://127.0.0.1:8000/my/units/{pk}/"),),
            key=f"bench:{round_}:{pk}",
        )
        for round_ in range(PER_USER)
        for pk in ids
    ]
    channel = MaxChannel()
    resolve("/")  # the URL configuration loads once per process, not per message
    logging.getLogger("httpx").setLevel(logging.WARNING)
    started, cpu_started = time.perf_counter(), time.process_time()
    for message in messages:
        channel.send(message)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # ours and the stub's (same process)
    server.shutdown()
    refused = [c.status for c in stub.calls if c.status != 200]
    print(f"MAX: {len(messages)} messages to {users} users in {elapsed:.1f} s "
          f"= {len(messages) / elapsed:.0f} messages/s (goal ≥ 200); "
          f"accepted by the stub: {len(stub.sent)}, refused: {len(refused)}; "
          f"CPU {cpu:.1f} s = {len(messages) / cpu:.0f} messages per CPU-second "
          f"(load average {os.getloadavg()[0]:.1f})")  # fmt: skip
    if refused or len(stub.sent) != len(messages):
        sys.exit(1)


if __name__ == "__main__":
    main()
