"""Notifications: enqueue and deliver 10 000 through the in-app list and e-mail (locmem).

Enqueue is `notify()` (consent check, preferences, the Notification and its Delivery rows,
the task queued on a backend that only stores it); delivery runs each queued e-mail delivery
as the worker would (`deliver_now`: lock, render, send to the locmem outbox, mark sent).
Prints messages/s, min and median over 3 repeats.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-notify-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

TOTAL = int(os.environ.get("BENCH_NOTIFICATIONS", "10000"))
PEOPLE = 1000  # each gets TOTAL / PEOPLE notifications
REPEATS = 3
UNUSABLE = "!"  # an unusable password hash: nobody logs in


def main() -> None:
    logging.getLogger("django_tasks").setLevel(logging.WARNING)  # a line per task otherwise
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from asgiref.local import Local
    from django_tasks import task_backends

    task_backends.__dict__.pop("settings", None)  # read TASKS again: a backend that only stores
    task_backends._connections = Local()
    backend = type(task_backends["default"]).__name__
    if backend != "DummyBackend":
        raise SystemExit(f"unexpected task backend {backend}")
    call_command("migrate", verbosity=0)
    import datetime

    from apps.notifications.models import Delivery, Notification
    from apps.notifications.services import notify
    from apps.notifications.tasks import deliver_now
    from apps.orgs.models import Organisation, User
    from apps.people.models import Consent, Person

    region = Organisation.objects.create(kind="region", name="R", short_name="R", slug="r")
    school = Organisation.objects.create(
        kind="school", parent=region, name="S", short_name="S", slug="s"
    )
    users = User.objects.bulk_create(
        [User(email=f"u{i}@example.org", password=UNUSABLE) for i in range(PEOPLE)]
    )
    people = Person.objects.bulk_create(
        [Person(organisation=school, user=u, last_name=f"Р{i}", first_name="И",
                position="Учитель", name_key=f"р{i} и") for i, u in enumerate(users)]
    )  # fmt: skip
    Consent.objects.bulk_create(
        [Consent(person=p, kind="processing", purpose="—", data_list="—",
                 given_on=datetime.date(2026, 1, 1)) for p in people]
    )  # fmt: skip
    context = {"post": "Состоялась сессия", "org_id": school.pk, "post_id": 1}
    per_user = TOTAL // PEOPLE
    enqueue, deliver = [], []
    for repeat in range(REPEATS):
        Notification.objects.all().delete()
        mail.outbox = []
        start = time.perf_counter()
        for n in range(per_user):
            # As the apps do: an event's notifications are made inside its transaction.
            with transaction.atomic():
                for user in users:
                    notify(user, "news_proposed", key=f"{repeat}:{n}", context=context)
        enqueue.append(TOTAL / (time.perf_counter() - start))
        pending = list(Delivery.objects.values_list("pk", flat=True))
        start = time.perf_counter()
        for pk in pending:
            deliver_now(pk)
        deliver.append(len(pending) / (time.perf_counter() - start))
        if len(mail.outbox) != TOTAL or Notification.objects.count() != TOTAL:
            raise SystemExit(f"sent {len(mail.outbox)} letters of {TOTAL}")
    for label, rates in (("enqueue (notify)", enqueue), ("deliver (e-mail, locmem)", deliver)):
        print(
            f"{label}: {TOTAL} notifications, min {min(rates):.0f} msg/s, "
            f"median {statistics.median(rates):.0f} msg/s ({REPEATS} repeats)"
        )
    total = [TOTAL / (TOTAL / e + TOTAL / d) for e, d in zip(enqueue, deliver, strict=True)]
    print(
        f"enqueue + deliver: min {min(total):.0f} msg/s, "
        f"median {statistics.median(total):.0f} msg/s"
    )


if __name__ == "__main__":
    main()
