"""Stage 1 end to end: the curator prepares the orders and the Положение, downloads .docx and
PDF, uploads a signed scan; the unit shows its order."""

import shutil

import pytest

from apps.documents.models import DocStatus, Document
from apps.documents.tests.test_documents import PDF, pair_world
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_orders_from_generation_to_signed_scan(page, live_server, curator, school, tmp_path):
    pair_world(school, curator_user=curator)
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
    # The archive is built by a background job; its page shows the progress, then the file.
    page.get_by_role("button", name="Архив для проверки").click()
    page.get_by_role("link", name="Скачать «").wait_for()
    screenshot(page, "documents-archive-job")
    with page.expect_download() as archive:
        page.get_by_role("link", name="Скачать «").click()
    assert archive.value.suggested_filename.endswith(".zip")
    page.goto(base + "settings/")
    assert serious_violations(page) == []
    # The roadmap derives stage 1 from the signed order.
    page.goto(f"{live_server.url}/o/{school.pk}/roadmap/")
    page.get_by_text("Приказ о закреплении пар: подписан").wait_for()
    screenshot(page, "roadmap")
    assert serious_violations(page) == []
