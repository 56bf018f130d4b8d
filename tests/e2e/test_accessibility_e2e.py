"""axe-core (vendored in tests/e2e/vendor, MPL-2.0) finds no serious accessibility problems."""

import datetime
from pathlib import Path

import pytest

from apps.banks.services import add_profile
from apps.orgs.choices import Role
from apps.surveys.models import Campaign, Invitation
from apps.surveys.services import install_shipped
from tests.e2e.conftest import login, screenshot
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)  # DevTools evaluation: not blocked by the page's CSP, unlike a <script>
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_violations(page, live_server, school, municipality):
    curator = UserFactory(email="a11y@example.org")
    MembershipFactory(user=curator, organisation=school, role=Role.CURATOR)
    person = PersonFactory(organisation=school, is_young_specialist=True)
    ConsentFactory(person=person)
    template = install_shipped(org=school)[0]
    campaign = Campaign.objects.create(
        organisation=school, template=template, title="Запросы", deadline=datetime.date(2099, 1, 1)
    )
    invitation = Invitation.objects.create(campaign=campaign, person=person)
    profile = add_profile(org=school, person=person, kind="mentee", values={}, by=None)
    login(page, live_server, curator.email)
    pages = {
        "surveys": f"/o/{school.pk}/surveys/",
        "survey-template": f"/o/{school.pk}/surveys/templates/{template.pk}/",
        "survey-new": f"/o/{school.pk}/surveys/new/",
        "survey-campaign": f"/o/{school.pk}/surveys/{campaign.pk}/",
        "survey-results": f"/o/{school.pk}/surveys/{campaign.pk}/results/",
        "survey-answer": f"/s/{invitation.token}/",
        "bank": f"/o/{school.pk}/banks/mentees/",
        "bank-profile": f"/o/{school.pk}/banks/profiles/{profile.pk}/",
        "dashboard": f"/o/{school.pk}/",
        "staff": f"/o/{school.pk}/staff/",
        "person": f"/o/{school.pk}/staff/{person.pk}/",
        "person-form": f"/o/{school.pk}/staff/new/",
        "import": f"/o/{school.pk}/staff/import/",
        "consents": f"/o/{school.pk}/consents/",
        "consent-form": f"/o/{school.pk}/staff/{person.pk}/consents/new/?kind=distribution",
        "stage": f"/o/{school.pk}/stages/2/",
    }
    problems = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        found = serious_violations(page)
        if found:
            problems[name] = found
            screenshot(page, f"a11y-{name}")
    assert problems == {}


def test_login_page_is_accessible_and_keyboard_usable(page, live_server, curator, school):
    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_violations(page) == []
    # The e-mail field has focus on arrival: type, Tab to the password, Enter to submit.
    page.keyboard.type(curator.email)
    page.keyboard.press("Tab")
    page.keyboard.type("pass-1234")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/o/{school.pk}/")
    page.keyboard.press("Tab")  # the skip link comes first on every page
    assert page.evaluate("document.activeElement.textContent.trim()") == "Перейти к содержанию"
    screenshot(page, "dashboard-after-keyboard-login")


def test_news_journal_keys_and_two_factor_pages_are_accessible(page, live_server, school):
    from apps.publicity.models import Post

    head = UserFactory(email="a11y-head@example.org")
    MembershipFactory(user=head, organisation=school, role=Role.HEAD)
    PersonFactory(organisation=school, last_name="Журналова")
    post = Post.objects.create(organisation=school, title="Новость", body="<p>Текст</p>")
    login(page, live_server, head.email)
    pages = {
        "news": f"/o/{school.pk}/news/",
        "news-new": f"/o/{school.pk}/news/new/",
        "news-post": f"/o/{school.pk}/news/{post.pk}/",
        "public-settings": f"/o/{school.pk}/public/",
        "social": f"/o/{school.pk}/public/vk/",
        "journal": f"/o/{school.pk}/audit/",
        "api-keys": f"/o/{school.pk}/api-tokens/",
        "security": "/accounts/security/",
        "two-factor": "/accounts/2fa/",
        "stage-7": f"/o/{school.pk}/stages/7/",
    }
    problems = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        found = serious_violations(page)
        if found:
            problems[name] = found
            screenshot(page, f"a11y-{name}")
    assert problems == {}
