"""The notification centre in the browser: the bell's count, the list, marking read, settings."""

import pytest

from apps.notifications.models import Notification, Preferences
from apps.notifications.services import notify
from apps.notifications.tests.helpers import account, pair
from apps.orgs.choices import Role
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1366, 360])
def test_bell_list_and_preferences(page, live_server, school, width):
    mentor = account(school, Role.MENTOR, "bell-mentor@s1.example.org")
    unit, _, _ = pair(school, mentor=mentor)
    context = {"unit_id": unit.pk, "task_id": 1, "org_id": school.pk,
               "task": "Посещение урока наставника", "due": "04.12.2026"}  # fmt: skip
    notify(mentor, "task_due", key="t1", context=context)
    notify(mentor, "task_overdue", key="t2", context={**context, "due": "28.11.2026"})
    notify(mentor, "fit_check", key="f", context={**context, "date": "27.11.2026"})
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, mentor.user.email)

    bell = page.locator("#notification-bell .notification-count")
    bell.wait_for()
    assert bell.inner_text() == "4"  # with «пара сформирована» from forming the pair
    page.locator("#notification-bell").click()
    page.get_by_role("heading", name="Уведомления").wait_for()
    assert page.locator(".notification-unread").count() == 4
    assert no_horizontal_scroll(page)
    screenshot(page, f"notifications-list-{width}")

    page.get_by_role("button", name="Прочитано", exact=True).first.click()
    page.get_by_role("heading", name="Уведомления", exact=True).wait_for()
    assert page.locator(".notification-unread").count() == 3
    page.select_option("#id_state", "unread")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**state=unread**")
    assert page.locator(".notification-list li").count() == 3
    page.get_by_role("button", name="Отметить все прочитанными").click()
    page.get_by_text("Все уведомления отмечены прочитанными.").wait_for()
    assert Notification.objects.for_user(mentor.user).unread().count() == 0
    assert page.locator("#notification-bell .notification-count").count() == 0

    page.get_by_role("link", name="Настройки уведомлений").first.click()
    page.get_by_role("heading", name="Настройки уведомлений").wait_for()
    page.uncheck("#on-task_due-email")
    page.fill("#id_quiet_from", "21:00")
    page.fill("#id_quiet_to", "08:00")
    page.check("#id_digest")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Настройки уведомлений сохранены.").wait_for()
    prefs = Preferences.objects.get(user=mentor.user)
    assert (prefs.digest, f"{prefs.quiet_from:%H:%M}") == (True, "21:00")
    assert no_horizontal_scroll(page)
    screenshot(page, f"notifications-preferences-{width}")
