"""Self-choice: top five with explanations, at most two open requests, capacity on the server."""

import pytest
from django.urls import reverse

from apps.matching.models import MatchingSettings, MentorRequest, RequestStatus
from apps.matching.tests.helpers import competencies, mentee, mentor
from apps.orgs.choices import Role
from apps.programs.models import MentoringUnit
from apps.programs.services import ensure_dictionaries
from conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.html import alerts, texts


def login_as(person, role):
    user = UserFactory(email=f"p{person.pk}@example.org")
    person.user = user
    person.save(update_fields=["user"])
    MembershipFactory(user=user, organisation=person.organisation, role=role)
    return client_for(user)


@pytest.fixture
def world(school):
    ensure_dictionaries(org=school)
    MatchingSettings.objects.create(organisation=school, self_choice=True)
    comps = competencies(school, "ФГОС", "Оценивание")
    me = mentee(school, comps, {"ФГОС": 5}, last_name="Ищущая")
    mentors = [
        mentor(school, comps, {"ФГОС": 5 - i % 2}, capacity=1, last_name=f"Наставник{i}")
        for i in range(7)
    ]
    return {"me": me, "mentors": mentors, "client": login_as(me, Role.MENTEE)}


def test_a_mentee_sees_five_explained_options(world):
    page = world["client"].get(reverse("matching:my-choice"))
    assert texts(page, "button").count("Отправить запрос") == 5
    assert [li for li in texts(page, "li") if li.endswith(": покрывает все запросы (1): ФГОС")]


def test_requests_are_limited_and_flow_to_the_curator(world, curator_client, school):
    client, mentors = world["client"], world["mentors"]
    url = reverse("matching:my-choice")
    for m in mentors[:3]:
        client.post(url, {"mentor": m.pk, "message": "Здравствуйте!"})
    assert MentorRequest.objects.filter(status=RequestStatus.SENT).count() == 2
    third = client.post(url, {"mentor": mentors[2].pk}, follow=True).content.decode()
    assert "Открытых запросов может быть не больше 2" in third

    first = MentorRequest.objects.order_by("pk").first()
    mentor_client = login_as(first.mentor, Role.MENTOR)
    mentor_client.post(reverse("matching:my-requests"), {"id": first.pk, "action": "accept"})
    first.refresh_from_db()
    assert first.status == RequestStatus.ACCEPTED

    curator_client.post(
        reverse("matching:requests", args=[school.pk]), {"id": first.pk, "action": "approve"}
    )
    first.refresh_from_db()
    assert first.status == RequestStatus.APPROVED
    assert MentoringUnit.objects.filter(mentor=first.mentor).exists()
    # The other open request is withdrawn: the mentee has a mentor now.
    assert not MentorRequest.objects.filter(status=RequestStatus.SENT).exists()


def test_capacity_is_enforced_when_a_mentor_accepts(world, school):
    comps = competencies(school, "ФГОС")
    other = mentee(school, comps, {"ФГОС": 4}, last_name="Вторая")
    other_client = login_as(other, Role.MENTEE)
    target = world["mentors"][0]  # capacity 1
    world["client"].post(reverse("matching:my-choice"), {"mentor": target.pk})
    other_client.post(reverse("matching:my-choice"), {"mentor": target.pk})
    first, second = MentorRequest.objects.order_by("pk")
    mentor_client = login_as(target, Role.MENTOR)
    url = reverse("matching:my-requests")
    mentor_client.post(url, {"id": first.pk, "action": "accept"})
    page = mentor_client.post(url, {"id": second.pk, "action": "accept"}, follow=True)
    assert [a for a in alerts(page) if "Свободных мест нет" in a]
    second.refresh_from_db()
    assert second.status == RequestStatus.SENT


def test_self_choice_off_means_no_requests(world, school):
    MatchingSettings.objects.filter(organisation=school).update(self_choice=False)
    page = world["client"].post(
        reverse("matching:my-choice"), {"mentor": world["mentors"][0].pk}, follow=True
    )
    assert [a for a in alerts(page) if "самостоятельный выбор выключен" in a]
    assert not MentorRequest.objects.exists()


def test_a_mentor_cannot_answer_someone_elses_request(world):
    world["client"].post(reverse("matching:my-choice"), {"mentor": world["mentors"][0].pk})
    request = MentorRequest.objects.get()
    stranger = login_as(world["mentors"][1], Role.MENTOR)
    url = reverse("matching:my-requests")
    response = stranger.post(url, {"id": request.pk, "action": "accept"})
    assert response.status_code == 404


def test_it_refuses_a_control_character_in_a_mentors_answer(world):
    world["client"].post(reverse("matching:my-choice"), {"mentor": world["mentors"][0].pk})
    request = MentorRequest.objects.get()
    mentor_client = login_as(request.mentor, Role.MENTOR)
    response = mentor_client.post(
        reverse("matching:my-requests"),
        {"id": request.pk, "action": "accept", "answer": "Да,\x0b жду"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Поле «Ответ» содержит невидимый управляющий символ U+000B (знак № 4). Такие символы "
        "попадают при копировании из других программ: удалите его и сохраните снова."
    ]
    request.refresh_from_db()
    assert (request.status, request.answer) == (RequestStatus.SENT, "")
