"""Визы согласования (ГОСТ Р 7.0.97-2016 п. 5.22): set once in the settings, printed under the
head's signature of every order — never on the доп. соглашение, never when none are set."""

from django.forms.models import model_to_dict
from django.urls import reverse

from apps.documents.forms import SettingsForm
from apps.documents.models import DocKind, DocumentSettings
from apps.documents.services import issue
from apps.documents.tests.test_documents import DAY, text_of, world  # noqa: F401

VISAS = "Заместитель директора по УВР — Иванова Анна Петровна\nЮрисконсульт | Лебедев Олег Ильич"


def settings_data(**changes) -> dict:
    data = {k: v for k, v in model_to_dict(DocumentSettings()).items() if v is not None}
    return {**data, **changes}


def test_it_prints_each_visa_under_the_signature_of_an_order(school, world):  # noqa: F811
    DocumentSettings.objects.create(organisation=school, visas=VISAS)
    text = text_of(issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY,
                         unit_ids=[world["unit"].pk]))  # fmt: skip
    lines = text.splitlines()
    start = lines.index("СОГЛАСОВАНО:")
    assert lines[start - 1].startswith("Директор\t____________ ")
    assert lines[start + 1 : start + 3] == [
        "Заместитель директора по УВР\t____________ А. П. Иванова\t«___» ________ 20__ г.",
        "Юрисконсульт\t____________ О. И. Лебедев\t«___» ________ 20__ г.",
    ]


def test_without_visas_and_on_an_agreement_there_is_no_approval_block(school, world):  # noqa: F811
    order = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    assert "СОГЛАСОВАНО" not in text_of(order)
    DocumentSettings.objects.create(organisation=school, visas=VISAS)
    agreement = issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY,
                      person=world["mentor"])  # fmt: skip
    assert "СОГЛАСОВАНО" not in text_of(agreement)


def test_the_settings_name_the_line_that_is_not_a_visa(school):
    form = SettingsForm(
        data=settings_data(visas="Заместитель директора — Иванова Анна\nЮрист"),
        instance=DocumentSettings(organisation=school),
    )
    assert form.errors["visas"] == [
        "Строка 2 «Юрист»: нужно «должность — фамилия имя отчество», например «Заместитель "
        "директора по УВР — Иванова Анна Петровна»."
    ]


def test_the_settings_store_visas_in_one_spelling(curator_client, school):
    url = reverse("documents:settings", args=[school.pk])
    response = curator_client.post(
        url, settings_data(visas="  Юрисконсульт|Лебедев  Олег Ильич \n\n")
    )
    assert response.status_code == 302
    assert DocumentSettings.objects.get(organisation=school).visas == (
        "Юрисконсульт — Лебедев Олег Ильич"
    )
