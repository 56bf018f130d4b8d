"""The print forms of consents and the organisation card, where names now stand in cases, at a
desktop and a phone width: no horizontal scroll (console errors fail every e2e test)."""

import pytest

from apps.documents.tests.test_documents import pair_world
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_import_e2e import no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1366, 360])
def test_consent_forms_and_the_org_card_fit_the_screen(page, live_server, curator, head, school,
                                                       width):  # fmt: skip
    world = pair_world(school, curator_user=curator)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, curator.email)
    for kind, person in (("processing", world["mentee"]), ("duties_mentor", world["mentor"])):
        page.goto(f"{live_server.url}/o/{school.pk}/staff/{person.pk}/consents/{kind}/print/")
        page.locator(".print-doc").wait_for()
        screenshot(page, f"consent-{kind}-{width}")
        assert no_horizontal_scroll(page)
    page.context.clear_cookies()
    login(page, live_server, head.email)
    page.goto(f"{live_server.url}/o/{school.pk}/settings/")
    page.get_by_label("… в дательном падеже (кому? чему?)").wait_for()
    screenshot(page, f"org-edit-{width}")
    assert no_horizontal_scroll(page)
