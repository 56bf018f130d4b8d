import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from apps.payroll.models import PayRegister, PayRule
from apps.payroll.tests.conftest import signed, unit_of
from tests.factories import PersonFactory
from tests.html import alerts, cells, errors

pytestmark = pytest.mark.django_db
DECEMBER = "?month=2026-12"


def _url(school, name="payroll:register"):
    return reverse(name, args=[school.pk]) + DECEMBER


def test_it_shows_the_preview_and_forms_the_register(curator_client, school, december):
    page = curator_client.get(_url(school))
    assert page.status_code == 200
    assert cells(page.content.decode())[-1] == ["Итого", "10000,00"]
    response = curator_client.post(_url(school), {"month": "2026-12"})
    assert response.status_code == 302
    assert PayRegister.objects.get().norm == 22


def test_it_downloads_the_1c_layout(curator_client, school, december):
    curator_client.post(_url(school), {"month": "2026-12"})
    response = curator_client.get(_url(school, "payroll:xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Табельный номер", "Сотрудник", "Должность", "Вид начисления"]
    assert header[-2:] == ["Сумма", "Основание"]
    amounts = sorted(row[11] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert amounts == [2045.45, 2954.55, 5000]
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {"0000-00011", "0000-00012"}


def test_it_makes_the_register_for_the_heads_signature(
    head_client, curator_client, school, december
):
    curator_client.post(_url(school), {"month": "2026-12"})
    response = head_client.get(_url(school, "payroll:document"))
    doc = DocxDocument(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "РЕЕСТР\nдоплат за наставническую деятельность за декабрь 2026 г." in text
    table = doc.tables[0]
    assert table.rows[-1].cells[-1].text == "10\u00a0000,00"


def test_it_redirects_downloads_before_the_register_is_formed(curator_client, school):
    response = curator_client.get(_url(school, "payroll:xlsx"), follow=True)
    assert alerts(response.content.decode()) == [
        "Реестр за декабрь 2026 г. ещё не сформирован: нажмите «Сформировать реестр»."
    ]


def test_it_refuses_a_negative_rule_in_the_form(curator_client, school):
    response = curator_client.post(
        reverse("payroll:rules", args=[school.pk]),
        {
            "valid_from": "01.09.2026",
            "basis": "sum",
            "per_mentee": "-100",
            "pay_code": "Доплата за наставничество",
        },
    )
    assert response.status_code == 200
    assert "Доплата не может быть отрицательной." in errors(response.content.decode())
    assert PayRule.objects.count() == 0


def test_it_explains_an_overlapping_rule_in_the_form(curator_client, school, rule):
    response = curator_client.post(
        reverse("payroll:rules", args=[school.pk]),
        {
            "valid_from": "01.12.2026",
            "basis": "sum",
            "per_mentee": "100",
            "pay_code": "Доплата за наставничество",
        },
    )
    assert alerts(response.content.decode())[0].startswith(
        "С 01.09.2026 без срока окончания уже действует правило оплаты"
    )
    assert PayRule.objects.count() == 1


def test_it_treats_a_bad_month_as_the_current_one(curator_client, school):
    response = curator_client.get(reverse("payroll:register", args=[school.pk]) + "?month=9999-99")
    assert response.status_code == 200


def test_it_hides_pay_from_mentors(mentor_client, school):
    assert mentor_client.get(_url(school)).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_it_reads_the_register_in_constant_queries(
    curator_client, school, rule, count, django_assert_num_queries
):
    for _ in range(count):
        mentor = PersonFactory(organisation=school)
        unit = unit_of(school, mentor, [PersonFactory(organisation=school)])
        signed(school, "pairs", [unit])
        signed(school, "agreement", [unit], person=mentor)
    PayRule.objects.filter(pk=rule.pk).update(per_mentee=Decimal(1000))
    with django_assert_num_queries(14):
        assert curator_client.get(_url(school)).status_code == 200
