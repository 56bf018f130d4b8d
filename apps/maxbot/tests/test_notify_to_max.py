"""The notification centre delivers to MAX for a linked user, with the kind's quick actions."""

import pytest

from apps.maxbot.tests.conftest import link
from apps.notifications.kinds import KINDS
from apps.notifications.models import Delivery
from apps.notifications.services import notify
from apps.notifications.tests.helpers import pair
from apps.programs.models import Task
from apps.programs.programme import programme_for
from tests.clock import on_school_day

pytestmark = on_school_day


def buttons(message) -> list[tuple[str, str]]:
    rows = [a for a in message["body"]["attachments"] if a["type"] == "inline_keyboard"]
    return (
        [(b["type"], b["text"]) for row in rows[0]["payload"]["buttons"] for b in row]
        if rows
        else []
    )


@pytest.mark.parametrize(
    ("event", "context", "expected"),
    [
        ("task_due", {"task": "Посетить урок", "due": "04.12.2026"},
         [("callback", "Задача выполнена")]),
        ("meeting_tomorrow", {"topic": "Разбор урока", "date": "02.12.2026"},
         [("link", "Встреча состоялась")]),
    ],
)  # fmt: skip
def test_a_linked_user_gets_the_notification_in_max(
    school, max_stub, django_capture_on_commit_callbacks, event, context, expected
):
    unit, mentor, _mentee = pair(school)
    link(mentor.user, 1001)
    task = Task.objects.create(programme=programme_for(unit), direction="Методика",
                               title="Посетить урок", deadline=unit.start_date,
                               responsible=mentor)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        notify(mentor, event, obj=unit,
               context={**context, "unit_id": unit.pk, "task_id": task.pk})  # fmt: skip
    [message] = max_stub.messages_to(user_id=1001)
    assert message["body"]["text"].startswith(KINDS[event].title.format(**context))
    assert buttons(message) == expected
    assert Delivery.objects.get(channel="max").status == "sent"


def test_a_user_without_max_gets_no_max_delivery(
    school, max_stub, django_capture_on_commit_callbacks
):
    unit, mentor, _mentee = pair(school)
    with django_capture_on_commit_callbacks(execute=True):
        context = {"task": "Посетить урок", "due": "04.12.2026", "unit_id": unit.pk, "task_id": 1}
        notify(mentor, "task_due", obj=unit, context=context)
    assert not Delivery.objects.filter(channel="max").exists()
    assert max_stub.calls == []
