"""Read side of the register: one search for the list page and the API."""

import datetime

import pytest

from apps.people.choices import PersonStatus
from apps.people.models import Person
from apps.people.queries import consent_summary, staff_search
from tests.factories import ConsentFactory, PersonFactory


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


def test_it_counts_the_holders_of_each_valid_consent(school, staff, other_school):
    today = datetime.date(2026, 10, 1)
    ivanova, petrov, gone = staff["ivanova"], staff["petrov"], staff["gone"]
    ConsentFactory(person=ivanova, given_on=datetime.date(2026, 9, 1))
    ConsentFactory(person=ivanova, given_on=datetime.date(2026, 9, 2))  # counted once
    ConsentFactory(person=petrov, withdrawn_at=datetime.datetime(2026, 9, 5, tzinfo=datetime.UTC))
    ConsentFactory(person=petrov, kind="distribution", valid_until=datetime.date(2026, 9, 30))
    ConsentFactory(person=petrov, kind="duties_mentor", given_on=datetime.date(2026, 10, 2))
    ConsentFactory(person=petrov, kind="duties_mentee")
    ConsentFactory(person=gone)
    ConsentFactory(person=PersonFactory(organisation=other_school))
    people = Person.objects.of(school).current()
    assert consent_summary(people, today) == {
        "total": 2, "processing": 1, "distribution": 0, "duties_mentor": 0, "duties_mentee": 1,
    }  # fmt: skip
