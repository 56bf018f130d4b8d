"""Read side of the register: one search for the list page and the API."""

import pytest

from apps.people.choices import PersonStatus
from apps.people.models import Person
from apps.people.queries import staff_search
from tests.factories import PersonFactory


@pytest.fixture
def staff(school):
    return {
        "ivanova": PersonFactory(organisation=school, last_name="Иванова", position="Учитель"),
        "petrov": PersonFactory(
            organisation=school,
            last_name="Петров",
            first_name="Пётр",
            middle_name="Ильич",
            position="Завуч",
        ),
        "gone": PersonFactory(
            organisation=school, last_name="Сидорова", status=PersonStatus.ARCHIVED
        ),
    }


def _names(people):
    return sorted(p.last_name for p in people)


def test_it_hides_archived_people_unless_asked(school, staff):
    people = Person.objects.within(school)
    assert _names(staff_search(people)) == ["Иванова", "Петров"]
    assert _names(staff_search(people, status="all")) == ["Иванова", "Петров", "Сидорова"]
    assert _names(staff_search(people, status=PersonStatus.ARCHIVED)) == ["Сидорова"]


def test_it_finds_by_name_in_any_case_and_by_position(school, staff):
    people = Person.objects.within(school)
    assert _names(staff_search(people, q=" ПЕТР  ильич ")) == ["Петров"]
    assert _names(staff_search(people, q="Завуч")) == ["Петров"]


def test_it_is_the_search_of_the_list_page_and_the_api():
    from apps.api.endpoints import staff as api_staff
    from apps.people.views import staff as view_staff

    assert view_staff.staff_search is staff_search
    assert api_staff.staff_search is staff_search
