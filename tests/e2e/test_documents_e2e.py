"""Stage 1 end to end: the curator prepares the orders and the Положение, downloads .docx and
PDF, uploads a signed scan; the unit shows its order."""

import datetime
import shutil

import pytest

from apps.documents.models import DocStatus, Document
from apps.documents.tests.test_documents import PDF, staff
from apps.programs.models import FormatType, PairingType
from apps.programs.services import create_unit, ensure_dictionaries
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_orders_from_generation_to_signed_scan(page, live_server, curator, school, tmp_path):
    curator_person = staff(school, "Седых", "Никита", "Ильич", "male", "Заместитель директора", 15)
    curator_person.user = curator
    curator_person.save()
    school.head_name = "Морозова Елена Викторовна"
    school.city = "г. Энск"
    school.save()
    ensure_dictionaries(org=school)
    mentor = staff(school, "Петров", "Сергей", "Иванович", "male", "Учитель физики", 20,
                   "duties_mentor")  # fmt: skip
    mentee = staff(school, "Иванова", "Мария", "Петровна", "female", "Учитель математики", 1,
                   "duties_mentee")  # fmt: skip
    create_unit(
        org=school, mentor=mentor, co_mentor=None, mentees=[mentee],
        pairing=PairingType.objects.filter(organisation=school).first(),
        format=FormatType.objects.get(organisation=school, name="Традиционное «один на один»"),
        start=datetime.date(2026, 12, 1), end=datetime.date(2027, 5, 31), created_by=None,
    )  # fmt: skip
    login(page, live_server, curator.email)
    base = f"{live_server.url}/o/{school.pk}/documents/"
    for label in (
        "Приказ об утверждении Положения о системе наставничества",
        "Приказ о назначении куратора наставничества",
        "Приказ о закреплении наставнических пар и групп",
    ):
        page.goto(base)
        page.get_by_role("link", name=label).click()
        page.get_by_role("button", name="Подготовить документ").click()
        page.get_by_text("подготовлен (черновик)").wait_for()
    assert Document.objects.count() == 3
    screenshot(page, "documents-detail")
    assert serious_violations(page) == []

    with page.expect_download() as docx:
        page.get_by_role("link", name="Скачать .docx").click()
    assert docx.value.suggested_filename.endswith(".docx")
    if shutil.which("soffice"):
        with page.expect_download(timeout=120_000) as pdf:
            page.get_by_role("link", name="Скачать PDF").click()
        assert pdf.value.suggested_filename.endswith(".pdf")

    page.get_by_role("button", name="Передать на подпись").click()
    page.get_by_text("Статус документа изменён").wait_for()
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("input[type=file]", str(scan))
    page.get_by_role("button", name="Загрузить скан").click()
    page.get_by_text("документ подписан и больше не меняется").wait_for()
    order = Document.objects.get(kind="pairs")
    assert order.status == DocStatus.SIGNED
    page.goto(base)
    screenshot(page, "documents-registry")
    assert serious_violations(page) == []
    with page.expect_download() as archive:
        page.get_by_role("link", name="Архив для проверки").click()
    assert archive.value.suggested_filename.endswith(".zip")
    page.goto(base + "settings/")
    assert serious_violations(page) == []
