"""Quick actions from MAX buttons re-check the permission at the click."""

import pytest
from django.urls import reverse

from apps.maxbot.tests.conftest import deliver, link, logged
from apps.programs.models import TaskStatus, UnitMember
from tests.clock import on_school_day
from tests.html import select

pytestmark = on_school_day


@pytest.fixture
def webhook(max_stub):
    max_stub.subscriptions.append({"url": "https://x.example/max/webhook/", "secret": "s"})
    return max_stub


def press(client, stub, user_id, payload):
    deliver(client, stub.user_presses(user_id, payload))
    return stub.answers[-1]["notification"]


def test_task_done_marks_the_task(client, webhook, pair):
    _unit, _mentor, mentee, task = pair
    link(mentee.user, 1001)
    answer = press(client, webhook, 1001, f"task_done:{task.pk}")
    assert answer == "Готово: задача «Посетить урок» отмечена выполненной."
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert press(client, webhook, 1001, f"task_done:{task.pk}") == (
        "Задача «Посетить урок» уже отмечена выполненной."
    )


def test_a_task_the_user_can_no_longer_see_changes_nothing(client, webhook, pair):
    unit, _mentor, mentee, task = pair
    link(mentee.user, 1001)
    UnitMember.objects.filter(unit=unit, mentee=mentee).delete()  # left the pair meanwhile
    answer = press(client, webhook, 1001, f"task_done:{task.pk}")
    assert answer.startswith("Эта задача вам больше не доступна — ничего не изменено.")
    task.refresh_from_db()
    assert task.status == TaskStatus.PLANNED


def test_a_forged_task_id_changes_nothing(client, webhook, pair):
    *_rest, mentee, task = pair
    link(mentee.user, 1001)
    for payload in (f"task_done:{task.pk + 100}", "task_done:99999999999999999999999", "x:1", ""):
        assert "ничего не изменено" in press(client, webhook, 1001, payload)
    task.refresh_from_db()
    assert task.status == TaskStatus.PLANNED


def test_a_max_user_who_unlinked_changes_nothing(client, webhook, pair):
    *_rest, task = pair
    answer = press(client, webhook, 1001, f"task_done:{task.pk}")
    assert answer == "Этот аккаунт MAX не подключён к «Наставнику» — ничего не изменено."
    task.refresh_from_db()
    assert task.status == TaskStatus.PLANNED


def test_a_replayed_press_is_answered_once(client, webhook, pair):
    *_rest, mentee, task = pair
    link(mentee.user, 1001)
    update = webhook.user_presses(1001, f"task_done:{task.pk}")
    deliver(client, update)
    deliver(client, update)
    assert len(webhook.answers) == 1


def test_meeting_held_opens_a_prefilled_diary_entry(pair):
    unit, mentor, *_rest = pair
    url = reverse("programs:my-unit", args=[unit.pk]) + "?date=2026-11-30&topic=Разбор%20урока"
    page = logged(mentor.user).get(url)
    assert select(page, "input[name=date]")[0].attrs["value"] == "30.11.2026"
    assert select(page, "input[name=topic]")[0].attrs["value"] == "Разбор урока"


def test_a_prefill_in_the_future_or_garbage_is_ignored(pair):
    unit, mentor, *_rest = pair
    url = reverse("programs:my-unit", args=[unit.pk]) + "?date=2999-01-01&topic=%01"
    page = logged(mentor.user).get(url)
    assert select(page, "input[name=date]")[0].attrs["value"] == "01.12.2026"
    assert select(page, "input[name=topic]")[0].attrs.get("value", "") == ""
