"""Hand-typed ids, years and search text answer a Russian 400 or a form error, never a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.orgs.params import (
    MAX_ID,
    BadParameter,
    ModelMultipleChoiceField,
    SearchField,
    date_param,
    id_param,
    int_or_none,
    search_text,
    year_param,
)
from apps.people.models import Person
from apps.surveys.models import Competency
from conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

YEAR_MESSAGE = "Учебный год указан неверно: нужен вид «2025/2026»."
LONG_SEARCH = "а" * 100_000


def message_of(response) -> str:
    """The sentence of the 400 page."""
    html = response.content.decode()
    start = html.index('id="bad-request-message">') + len('id="bad-request-message">')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("abc", None), ("1.5", None), ("", None), ("1e3", None), ("0", None),
     ("-3", None), (str(MAX_ID + 1), None), ("²", None), ("٣", None), (None, None), (7, None)],
)  # fmt: skip
def test_it_reads_only_database_ids(value, expected):
    assert int_or_none(value) == expected


def test_it_names_what_id_was_wrong():
    with pytest.raises(BadParameter) as caught:
        id_param("abc", what="мероприятия")
    assert str(caught.value) == "Номер мероприятия указан неверно: нужно целое положительное число."


@pytest.mark.parametrize(
    "value", ["\x00", "abc", "2025/2027", "²⁰²⁵/²⁰²⁶", "٢٠٢٥/٢٠٢٦", "2025-2026"]
)
def test_it_refuses_malformed_years(value):
    with pytest.raises(BadParameter) as caught:
        year_param(value, "2025/2026")
    assert str(caught.value) == YEAR_MESSAGE


def test_it_takes_a_year_or_the_default():
    assert year_param("2024/2025", "2025/2026") == "2024/2025"
    assert year_param("", "2025/2026") == "2025/2026"
    assert year_param(None, "2025/2026") == "2025/2026"


def test_it_cuts_search_text_to_200_characters():
    assert SearchField(required=False).clean(LONG_SEARCH) == "а" * 200


def test_it_drops_control_characters_from_search_text():
    assert search_text(" Иван\x00ова\x1f ") == "Иванова"
    assert SearchField(required=False).clean("a\x00b") == "ab"


@pytest.mark.parametrize("value", ["2025-13-45", "2025-02-30", "abc", "01.09.2025"])
def test_it_refuses_malformed_dates(value):
    with pytest.raises(BadParameter) as caught:
        date_param(value)
    assert str(caught.value) == "Дата указана неверно: нужен вид «2025-09-01»."


def test_it_answers_400_to_a_malformed_journal_date(school_admin, school):
    response = client_for(school_admin).get(
        reverse("audit:journal", args=[school.pk]), {"from": "2025-13-45"}
    )
    assert response.status_code == 400
    assert message_of(response) == "Дата указана неверно: нужен вид «2025-09-01»."


@pytest.mark.parametrize("value", ["abc", "1.5", "", "1e3", "²", "99999999999999999999"])
def test_it_answers_400_to_a_malformed_event_id_on_my_events(school, mentor, value):
    PersonFactory(organisation=school, user=mentor)
    response = client_for(mentor).post("/my/events/", {"id": value})
    assert response.status_code == 400
    assert message_of(response) == (
        "Номер мероприятия указан неверно: нужно целое положительное число."
    )


@pytest.mark.parametrize(
    "name",
    ["roadmap:roadmap", "monitoring:dashboard", "monitoring:export", "documents:archive",
     "banks:mentee-list", "banks:mentee-export"],
)  # fmt: skip
@pytest.mark.parametrize("year", ["\x00", "²⁰²⁵/²⁰²⁶", "abc"])
def test_it_answers_400_to_a_malformed_year(curator_client, school, name, year):
    # The archive is started by a POST (a background job); the other pages read the year by GET.
    send = curator_client.post if name == "documents:archive" else curator_client.get
    response = send(reverse(name, args=[school.pk]), {"year": year})
    assert response.status_code == 400
    assert message_of(response) == YEAR_MESSAGE


def test_it_refuses_renaming_a_competency_to_a_taken_name(curator_client, school):
    Competency.objects.create(organisation=school, name="Методика")
    other = Competency.objects.create(organisation=school, name="Оценивание")
    url = reverse("surveys:competency-edit", args=[school.pk, other.pk])
    response = curator_client.post(url, {"name": "Методика", "order": 1, "is_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Компетенция «Методика» уже есть."]}
    other.refresh_from_db()
    assert other.name == "Оценивание"


def test_it_refuses_adding_a_competency_with_a_taken_name(curator_client, school):
    Competency.objects.create(organisation=school, name="Методика")
    url = reverse("surveys:competency-list", args=[school.pk])
    response = curator_client.post(url, {"new-name": "Методика", "new-order": 1})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Компетенция «Методика» уже есть."]}
    assert Competency.objects.filter(organisation=school).count() == 1


def test_it_keeps_renaming_a_competency_to_its_own_name(curator_client, school):
    competency = Competency.objects.create(organisation=school, name="Методика")
    url = reverse("surveys:competency-edit", args=[school.pk, competency.pk])
    response = curator_client.post(url, {"name": "Методика", "description": "Новое", "order": 1})
    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.description == "Новое"


@pytest.mark.parametrize(
    ("name", "param"),
    [("people:person-list", "q"), ("people:consent-overview", "q"), ("banks:mentee-list", "q"),
     ("surveys:campaign-create", "position")],
)  # fmt: skip
def test_it_answers_a_100000_character_search(curator_client, school, name, param):
    PersonFactory(organisation=school)
    response = curator_client.get(reverse(name, args=[school.pk]), {param: LONG_SEARCH})
    assert response.status_code == 200


def test_it_refuses_a_forged_huge_id_among_checkboxes(curator_client, school):
    response = curator_client.post(
        reverse("programs:unit-create", args=[school.pk]), {"mentees": "9" * 40}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["mentees"]] == ["invalid_pk_value"]


def test_it_refuses_a_huge_id_in_the_shared_multiple_choice_field(school):
    field = ModelMultipleChoiceField(queryset=Person.objects.all())
    with pytest.raises(ValidationError) as caught:
        field.clean([str(MAX_ID + 1)])
    assert caught.value.code == "invalid_pk_value"
