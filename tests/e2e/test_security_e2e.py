"""The attacks of the security review, done in the browser as an attacker with a curator's
account would: template injection in the Положение and in an uploaded template, making oneself
head. Each is refused with a Russian message and nothing is saved or run."""

import pytest

from apps.documents.models import PolozhenieSection, SchoolTemplate
from apps.documents.tests.test_school_templates import docx_with
from apps.orgs.choices import Role
from apps.orgs.models import Membership
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def payload(canary) -> str:
    return (
        "{% for c in x.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == "
        "'catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').popen('touch "
        + str(canary)
        + "').read() }}{% endif %}{% endfor %}"
    )


def test_a_curator_cannot_inject_a_template_or_make_themselves_head(
    page, live_server, curator, head, school, tmp_path
):
    canary = tmp_path / "pwned"
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/documents/polozhenie/")
    page.fill("#text-1", payload(canary))
    page.get_by_role("button", name="Сохранить текст").click()
    page.get_by_text("недопустимые поля или команды шаблона").wait_for()
    screenshot(page, "security-polozhenie-refused")
    assert PolozhenieSection.objects.count() == 0

    upload = tmp_path / "шаблон.docx"
    upload.write_bytes(docx_with("{{ doc.number }} {{ person.name.acc }}", payload(canary)))
    page.goto(f"{live_server.url}/o/{school.pk}/documents/settings/")
    page.locator("form:has(input[type=file])").first.locator("select").select_option("curator")
    page.locator("input[type=file]").first.set_input_files(str(upload))
    page.locator("form:has(input[type=file])").first.locator("button[type=submit]").click()
    screenshot(page, "security-template-refused")
    page.get_by_text("использует то, что шаблону документа недоступно").wait_for()
    assert SchoolTemplate.objects.count() == 0
    assert not canary.exists()

    page.goto(f"{live_server.url}/o/{school.pk}/members/")
    offered = page.locator("select[name=role] option").evaluate_all("os => os.map(o => o.value)")
    assert Role.HEAD not in offered
    assert Role.ADMIN not in offered
    # A forged form post with the browser's own session and CSRF token.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"{live_server.url}/o/{school.pk}/members/",
        form={"csrfmiddlewaretoken": token, "email": curator.email, "role": Role.HEAD},
        headers={"Referer": f"{live_server.url}/o/{school.pk}/members/"},
    )
    assert response.status == 200
    assert not Membership.objects.filter(user=curator, role=Role.HEAD).exists()
    head_membership = Membership.objects.get(user=head, role=Role.HEAD)
    response = page.request.post(
        f"{live_server.url}/o/{school.pk}/members/{head_membership.pk}/remove/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{live_server.url}/o/{school.pk}/members/"},
    )
    assert Membership.objects.filter(pk=head_membership.pk).exists()
