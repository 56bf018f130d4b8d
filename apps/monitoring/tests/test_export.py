"""The indicators table and the yearly report keep stored names as plain text."""

import io

import openpyxl
from django.urls import reverse
from docx import Document as Docx

from apps.documents.tests.test_documents import pair_world
from apps.monitoring.tests.test_report import report_of
from apps.orgs.models import Organisation
from apps.programs.models import FormatType

YEAR = "2026/2027"


def test_it_exports_a_school_name_with_a_formula_and_a_control_character_as_text(
    methodist_client, municipality, school
):
    pair_world(school)
    Organisation.objects.filter(pk=school.pk).update(short_name="=1+2\x0b школа")
    response = methodist_client.get(
        reverse("monitoring:export", args=[municipality.pk]) + f"?year={YEAR}"
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    name = sheet["A2"]
    assert (name.data_type, name.value, name.quotePrefix) == ("s", "=1+2 школа", True)
    assert sheet["B2"].value == 1  # numbers stay numbers


def test_it_writes_the_yearly_report_despite_stored_control_characters(
    methodist_client, municipality, school
):
    world = pair_world(school)
    Organisation.objects.filter(pk=school.pk).update(short_name="Школа\x1b № 1")
    FormatType.objects.filter(pk=world["unit"].format_id).update(name="Один\x18 на один")
    docx = Docx(io.BytesIO(report_of(methodist_client, municipality)))
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    assert "Школа № 1" in cells
    assert "Один на один" in cells
