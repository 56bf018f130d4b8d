"""Print forms of consents name the operator in the case the sentence needs."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory


@pytest.fixture
def named_school(school):
    school.name = "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»"
    school.save()
    return school


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("processing", "даю согласие оператору — Муниципальному бюджетному "
                       "общеобразовательному учреждению «Школа № 1»"),
        ("distribution", "даю согласие оператору — Муниципальному бюджетному "
                         "общеобразовательному учреждению «Школа № 1»"),
        ("duties_mentor", "наставнической деятельностью в Муниципальном бюджетном "
                          "общеобразовательном учреждении «Школа № 1»"),
        ("duties_mentee", "наставничества в Муниципальном бюджетном общеобразовательном "
                          "учреждении «Школа № 1» в качестве наставляемого"),
    ],
)  # fmt: skip
def test_it_declines_the_operator_in_the_consent_forms(curator_client, named_school, kind, phrase):
    person = PersonFactory(organisation=named_school)
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, kind])
    page = curator_client.get(url).content.decode()
    assert phrase in page
    assert "Оператору: Муниципальному бюджетному общеобразовательному учреждению" in page


def test_a_stored_form_overrides_the_automatic_one(curator_client, named_school):
    named_school.name_dat = "Муниципальному бюджетному учреждению «Школа № 1» (так в уставе)"
    named_school.save()
    person = PersonFactory(organisation=named_school)
    url = reverse("people:consent-print", args=[named_school.pk, person.pk, "processing"])
    page = curator_client.get(url).content.decode()
    assert "оператору — Муниципальному бюджетному учреждению «Школа № 1» (так в уставе)" in page
