"""A mentor links MAX from the profile page (against the MAX stub), at 1366 and 360 px."""

import pytest

from apps.maxbot.models import MaxLink
from apps.maxbot.tests.conftest import (  # noqa: F401 (fixtures)
    WEBHOOK_SECRET,
    clock,
    deliver_pushed,
    max_stub,
)
from apps.orgs.choices import Role
from tests.e2e.conftest import login, screenshot
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1366, 360])
def test_a_mentor_links_max_with_a_code(page, live_server, school, max_stub, width):  # noqa: F811
    max_stub.subscriptions.append(
        {"url": f"{live_server.url}/max/webhook/", "secret": WEBHOOK_SECRET}
    )
    user = UserFactory(email=f"max{width}@example.org")
    MembershipFactory(user=user, organisation=school, role=Role.MENTOR)
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, user.email)
    page.goto(f"{live_server.url}/accounts/max/")
    assert page.locator(".max-stub").inner_text().startswith("Заглушка MAX (демо)")
    page.click(".max-link button")
    code = page.locator(".max-code").inner_text()
    assert len(code) == 9
    screenshot(page, f"max-link-code-{width}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    max_stub.user_writes(1001, code)
    assert [r.status_code for r in deliver_pushed(max_stub)] == [200]
    page.click("text=Я отправил код — проверить")
    assert page.locator(".max-link strong").first.inner_text() == "MAX подключён"
    screenshot(page, f"max-link-linked-{width}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click("text=Отключить MAX")
    assert page.locator(".max-link button").inner_text() == "Получить код"
    assert not MaxLink.objects.filter(user=user).exists()
