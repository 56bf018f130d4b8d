"""Signing in the system: the head signs a pairs order and an additional agreement with a
one-time code from the e-mail, the mentor signs their agreement the same way; the public check
opened from the QR code recognises the signed PDF."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents import cades, signing
from apps.documents.models import DocKind, DocStatus, DocumentSettings
from apps.documents.services import attach_scan, issue, set_status
from apps.documents.tests.test_documents import DAY, PDF, pair_world
from apps.orgs.choices import Role
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_with_code(page, document_label: str, shot: str = "", button: str = "Подписать") -> None:
    # Inside the page's own list: the menus above hold list items too.
    page.locator("#main").get_by_role("listitem").filter(has_text=document_label).get_by_role(
        "link", name=button
    ).click()
    page.get_by_text("Прочитайте документ целиком").wait_for(timeout=120_000)
    page.wait_for_load_state("domcontentloaded")
    # The button is pressed from the keyboard: at 1366 px the embedded PDF viewer of headless
    # Chromium may still be taking the pointer while it loads.
    page.get_by_role("button", name="Получить код на e-mail").focus()
    page.keyboard.press("Enter")
    try:
        page.get_by_role("alert").filter(has_text="Код отправлен на").wait_for(timeout=120_000)
    except Exception:
        screenshot(page, "signing-failure")
        raise
    if shot:
        screenshot(page, shot)
    # The latest letter with a code: notifications (a document waiting for signature…) may come
    # after it, from the background tasks the signature started.
    code = next(
        found.group(1)
        for letter in reversed(mail.outbox)
        if (found := re.search(r": (\d{6})\n", letter.body))
    )
    page.get_by_label("Код из письма").fill(code)
    page.get_by_label("Код из письма").press("Enter")
    page.get_by_text("Подписано простой электронной подписью.").wait_for(timeout=120_000)


def test_head_and_mentor_sign_with_a_one_time_code(page, browser, live_server, curator, school):
    world = pair_world(school, curator_user=curator)
    head = UserFactory(email="morozova@example.org", full_name="Морозова Елена Викторовна")
    MembershipFactory(user=head, organisation=school, role=Role.HEAD)
    mentor = UserFactory(email="petrov@example.org")
    MembershipFactory(user=mentor, organisation=school, role=Role.MENTOR)
    world["mentor"].user = mentor
    world["mentor"].save()
    DocumentSettings.objects.update_or_create(organisation=school, defaults={"pep_enabled": True})
    rules = issue(org=school, kind=DocKind.PEP_RULES, by=None, day=DAY)
    attach_scan(rules, SimpleUploadedFile("rules.pdf", PDF), by=None)
    order = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    agreement = issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY, person=world["mentor"])
    for document in (order, agreement):  # the curator passes them to the head
        set_status(document, DocStatus.SIGNING, by=curator)
        # The PDF to read is made once (LibreOffice, a minute on a busy machine; its own tests
        # cover it): make it before the browser, so the flow is not timed on the converter.
        signing.frozen_pdf(document)

    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, head.email)
    page.goto(f"{live_server.url}/o/{school.pk}/documents/sign/")
    page.get_by_role("button", name="Принимаю Положение").click()
    page.get_by_text("Положение принято").wait_for()
    sign_with_code(page, f"№ {order.number}", "signing-code-1366")
    screenshot(page, "signing-1366")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/o/{school.pk}/documents/sign/")
    sign_with_code(
        page, f"Дополнительное соглашение к трудовому договору с наставником № {agreement.number}"
    )
    order.refresh_from_db()
    agreement.refresh_from_db()
    assert (order.status, order.signed_with) == (DocStatus.SIGNED, "pep")
    assert agreement.status == DocStatus.SIGNING  # the employee has not signed yet

    context = browser.new_context(locale="ru-RU", viewport={"width": 360, "height": 800})
    phone = context.new_page()
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(phone, live_server, mentor.email)
    phone.goto(f"{live_server.url}/o/{school.pk}/documents/sign/")
    phone.get_by_role("button", name="Принимаю Положение").click()
    phone.get_by_text("Положение принято").wait_for()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "signing-list-360")
    sign_with_code(phone, f"№ {agreement.number}", "signing-code-360")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "signing-360")
    assert serious_violations(phone) == []
    context.close()
    assert errors == []
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_with) == (DocStatus.SIGNED, "pep")

    # The QR code on the copy opens the public check (for anyone): positions, not names.
    context = browser.new_context(locale="ru-RU", viewport={"width": 360, "height": 800})
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/verify/{order.verify_token}/")
    visitor.get_by_text("подписант: Директор").wait_for()
    assert "Морозова" not in visitor.content()
    assert no_horizontal_scroll(visitor)
    screenshot(visitor, "signing-verify-360")
    assert serious_violations(visitor) == []
    context.close()


def test_the_head_attaches_a_qualified_signature_made_elsewhere(
    page, live_server, head, school, tmp_path
):
    pair_world(school)
    order = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    pdf = signing.frozen_pdf(order)  # what «Скачать PDF» gives the head
    private, certificate = cades.make_test_certificate(
        owner="Морозова Елена Викторовна", organisation="МБОУ «Школа № 1»",
        valid_from=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        valid_to=datetime.datetime(2027, 12, 31, tzinfo=datetime.UTC),
    )  # fmt: skip
    changed = tmp_path / "changed.sig"
    changed.write_bytes(
        cades.sign_detached(pdf + b" ", private_key=private, certificate=certificate,
                            signing_time=datetime.datetime.now(datetime.UTC))
    )  # fmt: skip
    good = tmp_path / "order.sig"
    good.write_bytes(
        cades.sign_detached(pdf, private_key=private, certificate=certificate,
                            signing_time=datetime.datetime.now(datetime.UTC))
    )  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, head.email)
    page.goto(f"{live_server.url}/o/{school.pk}/documents/{order.pk}/")
    form = page.locator(
        "form", has=page.get_by_role("button", name="Проверить и приложить подпись")
    )
    form.locator("input[type=file]").set_input_files(str(changed))
    form.get_by_role("button", name="Проверить и приложить подпись").click()
    page.get_by_role("alert").filter(has_text="Подпись сделана для другого документа").wait_for()
    order.refresh_from_db()
    assert order.status == DocStatus.DRAFT
    form.locator("input[type=file]").set_input_files(str(good))
    form.get_by_role("button", name="Проверить и приложить подпись").click()
    page.get_by_role("alert").filter(has_text="Подпись проверена").wait_for()
    page.get_by_text("владелец сертификата Морозова Елена Викторовна").wait_for()
    screenshot(page, "signing-qualified-1366")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 800})
    assert no_horizontal_scroll(page)
    screenshot(page, "signing-qualified-360")
    order.refresh_from_db()
    assert (order.status, order.signed_with) == (DocStatus.SIGNED, "qes")
    # The school turns ПЭП on and fills in its personal-data settings on one page.
    page.goto(f"{live_server.url}/o/{school.pk}/documents/settings/")
    page.get_by_label("простая электронная подпись (ПЭП) включена").check()
    page.get_by_label("место нахождения базы данных (адрес ЦОД в Российской Федерации)").fill(
        "Российская Федерация, г. Новосибирск"
    )
    assert no_horizontal_scroll(page)
    screenshot(page, "documents-settings-360")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Настройки документов сохранены").wait_for()
    assert DocumentSettings.objects.get(organisation=school).pep_enabled
