"""Stages 4 and 6 end to end: an установочная сессия from creation to attendance, its material
in the library found by a morphological search, and the roadmap seeing the session held."""

import datetime

import pytest
from django.utils import timezone

from apps.events.models import Event, Participant
from apps.events.tests.test_events import mentor
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_session_invitations_attendance_materials_search(page, live_server, curator, school):
    mentors = [mentor(school, email=f"m{i}@example.org", last_name=f"Наставник{i}")
               for i in range(2)]  # fmt: skip
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/events/new/")
    page.select_option("#id_kind", label="Установочная сессия наставников")
    page.fill("#id_title", "Установочная сессия: роль наставника")
    start = timezone.localtime() + datetime.timedelta(days=2)
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT10:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT12:00"))
    page.fill("#id_place", "Актовый зал")
    page.select_option("#id_audience", label="Наставники")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Мероприятие сохранено.").wait_for()
    page.get_by_role("button", name="Пригласить").click()
    page.get_by_text("Приглашено: 2").wait_for()
    assert Participant.objects.filter(person__in=mentors).count() == 2
    screenshot(page, "event-detail")
    assert serious_violations(page) == []

    # The session took place: shift it into the past and mark who came.
    event = Event.objects.get()
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    page.reload()
    page.get_by_label(mentors[0].full_name, exact=False).check()
    page.fill("#guests", "Петрова А. А. (Гимназия № 3)")
    page.get_by_role("button", name="Отметить присутствие").click()
    page.get_by_text("Присутствие отмечено.").wait_for()
    assert Participant.objects.filter(attended=True).count() == 2
    page.fill("#id_title", "Памятка по классному руководству для наставника")
    page.fill("#id_body", "Как помочь молодому классному руководителю")
    page.get_by_role("button", name="Добавить материал").click()
    page.get_by_text("Материал добавлен в методическую копилку.").wait_for()

    page.goto(f"{live_server.url}/o/{school.pk}/library/?q=классное+руководство")
    page.get_by_role("link", name="Памятка по классному руководству").wait_for()
    screenshot(page, "library-search")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/o/{school.pk}/roadmap/")
    page.get_by_text("Установочная сессия наставников проведена").wait_for()
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [1366, 360])
def test_last_weeks_session_is_entered_late_and_attendance_marked(
    page, live_server, curator, school, width
):
    page.set_viewport_size({"width": width, "height": 900})
    came, absent = (mentor(school, email=f"l{i}@example.org", last_name=f"Поздняя{i}")
                    for i in range(2))  # fmt: skip
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/events/new/")
    page.select_option("#id_kind", label="Установочная сессия наставников")
    page.fill("#id_title", "Установочная сессия прошлой недели")
    held = timezone.localtime() - datetime.timedelta(days=7)
    page.fill("#id_starts_at", held.strftime("%Y-%m-%dT15:00"))
    page.fill("#id_ends_at", held.strftime("%Y-%m-%dT17:00"))
    page.fill("#id_place", "Актовый зал")
    page.select_option("#id_audience", label="Наставники")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Мероприятие внесено задним числом: отметьте присутствие.").wait_for()
    assert page.locator("#entered-late").inner_text() == "внесено задним числом"
    screenshot(page, f"event-late-{width}")

    page.get_by_label(came.full_name, exact=False).check()
    page.get_by_role("button", name="Отметить присутствие").click()
    page.get_by_text("Присутствие отмечено.").wait_for()
    assert page.locator(".seat-state").all_inner_texts() == ["присутствовал(а)"]
    # A person invited earlier but not ticked is shown absent, not «приглашён(а)».
    Participant.objects.create(event=Event.objects.get(), person=absent)
    page.reload()
    assert sorted(page.locator(".seat-state").all_inner_texts()) == [
        "отсутствовал(а)",
        "присутствовал(а)",
    ]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"event-attendance-{width}")
    assert serious_violations(page) == []


def test_a_person_without_an_account_answers_by_the_personal_link(page, live_server, school):
    page.set_viewport_size({"width": 360, "height": 800})
    guest = mentor(school, email="noaccount@example.org", last_name="Безучётная")
    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(
        organisation=school, kind="session", title="Консультация наставников",
        starts_at=start, ends_at=start + datetime.timedelta(hours=1), place="Каб. 5",
        audience="mentors",
    )  # fmt: skip
    seat = Participant.objects.create(event=event, person=guest, invited_at=timezone.now())
    page.goto(f"{live_server.url}/e/{seat.token}/")
    page.get_by_role("button", name="Приду").click()
    page.get_by_text("Спасибо, вы записаны.").wait_for()
    assert "Ваш ответ: приду" in page.locator("#answer-state").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "event-personal-link-360")
    assert serious_violations(page) == []
    seat.refresh_from_db()
    assert seat.registered_at is not None
