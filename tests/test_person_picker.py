"""Choosing people by search-as-you-type: pages list only the chosen, the endpoint finds ≤ 20."""

import re

import pytest
from django.urls import reverse

from apps.people.models import Person
from apps.publicity.models import Post
from apps.publicity.tests.test_publicity import jpeg
from apps.surveys.services import install_shipped
from conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def checkboxes(response) -> list[str]:
    """Values of the ticked-people boxes on a page."""
    return re.findall(r'type="checkbox" name="people" value="(\d+)"', response.content.decode())


def search(client, org, **params):
    return client.get(reverse("people:person-search", args=[org.pk]), params)


@pytest.mark.parametrize("count", [1, 3])
def test_it_renders_the_news_photo_form_without_listing_staff(
    curator_client, school, count, django_assert_num_queries
):
    PersonFactory.create_batch(count, organisation=school)
    post = Post.objects.create(organisation=school, title="Открытый урок")
    # page_for reads the page (it no longer creates it); one query for the surname warnings.
    with django_assert_num_queries(14):
        response = curator_client.get(reverse("publicity:post-detail", args=[school.pk, post.pk]))
    assert response.status_code == 200
    assert checkboxes(response) == []


@pytest.mark.parametrize("count", [1, 3])
def test_it_renders_the_new_survey_form_without_listing_staff(
    curator_client, school, count, django_assert_num_queries
):
    install_shipped(org=school)
    PersonFactory.create_batch(count, organisation=school)
    with django_assert_num_queries(6):
        response = curator_client.get(reverse("surveys:campaign-create", args=[school.pk]))
    assert response.status_code == 200
    assert checkboxes(response) == []


def test_it_keeps_the_chosen_people_ticked_when_the_form_comes_back(curator_client, school):
    install_shipped(org=school)
    chosen = PersonFactory(organisation=school)
    PersonFactory(organisation=school)
    url = reverse("surveys:campaign-create", args=[school.pk])
    response = curator_client.post(url, {"people": [chosen.pk], "create": "1"})
    assert response.status_code == 200  # the template and the title are missing
    assert checkboxes(response) == [str(chosen.pk)]


def test_it_finds_at_most_20_people_of_the_school(curator_client, school, other_school):
    PersonFactory.create_batch(21, organisation=school, position="Учитель физики")
    PersonFactory(organisation=other_school, position="Учитель физики")
    response = search(curator_client, school, **{"people-search": "физики"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<li>") == 20
    assert html.endswith('<p class="form-text mb-0">Показаны первые 20 — уточните запрос.</p>\n')


def test_it_finds_by_name_ignoring_yo_and_case(curator_client, school):
    wanted = PersonFactory(organisation=school, last_name="Королёва")
    PersonFactory(organisation=school, last_name="Орлова")
    response = search(curator_client, school, **{"people-search": "КОРОЛЕВА"})
    assert re.findall(r"pick=(\d+)", response.content.decode()) == [str(wanted.pk)]


def test_it_offers_only_active_people_in_the_active_scope(curator_client, school):
    PersonFactory(organisation=school, last_name="Отпускова", status="leave")
    response = search(curator_client, school, scope="active", **{"people-search": "Отпускова"})
    assert response.content.decode() == (
        '<p class="form-text mb-0">Никого не нашлось: «Отпускова».</p>\n'
    )


def test_it_picks_a_person_as_a_ticked_box(curator_client, school):
    person = PersonFactory(organisation=school)
    response = search(curator_client, school, pick=person.pk)
    assert checkboxes(response) == [str(person.pk)]


def test_it_hides_another_schools_person_when_picked(curator_client, school, other_school):
    stranger = PersonFactory(organisation=other_school)
    assert search(curator_client, school, pick=stranger.pk).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"scope": "all"}, {"name": 'x"><script>'}, {"target": "a b"}, {"pick": "abc"}],
)
def test_it_refuses_malformed_parameters(curator_client, school, params):
    assert search(curator_client, school, **params).status_code == 400


def test_it_refuses_a_mentor(mentor, school):
    PersonFactory(organisation=school)
    assert search(client_for(mentor), school, **{"people-search": "Иванова"}).status_code == 403


def test_it_tags_a_found_person_on_a_photo(curator_client, school):
    person = PersonFactory(organisation=school)
    post = Post.objects.create(organisation=school, title="Открытый урок")
    response = curator_client.post(
        reverse("publicity:post-detail", args=[school.pk, post.pk]),
        {"action": "image", "alt": "Урок", "image": jpeg(), "people": [person.pk]},
    )
    assert response.status_code == 302
    assert list(Person.objects.filter(photo_tags__post=post)) == [person]


def test_it_points_the_search_box_at_the_endpoint_with_the_field(curator_client, school):
    install_shipped(org=school)
    response = curator_client.get(reverse("surveys:campaign-create", args=[school.pk]))
    box = re.search(r'<input type="search"[^>]*>', response.content.decode()).group()
    url = reverse("people:person-search", args=[school.pk])
    assert f'hx-get="{url}?scope=active"' in box
    assert 'hx-vals=\'{"name": "people", "target": "id_people"}\'' in box
    assert 'hx-target="#id_people-found"' in box
