"""Write endpoints go through the UI's forms and services: same rules, Russian messages."""

import datetime

import pytest
from django.utils import timezone

from apps.events.models import Event
from apps.people.models import Consent, Person
from apps.programs.models import Task

pytestmark = pytest.mark.django_db

NEW = {
    "last_name": "петрова",
    "first_name": "анна",
    "position": "Учитель истории",
    "birth_date": "1995-02-03",
    "subjects": ["История"],
    "levels": ["basic"],
}


def errors(response) -> dict:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_create_person(school, data, as_curator):
    response = as_curator.post(f"/organisations/{school.pk}/staff", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Петрова Анна"  # the form's name clean-up applies
    assert body["subjects"] == ["История"]
    assert body["levels"] == ["basic"]
    # The same person again: the form's duplicate check.
    again = errors(as_curator.post(f"/organisations/{school.pk}/staff", NEW))
    assert again == {"body": "Сотрудник с такими ФИО и датой рождения уже есть в реестре."}


def test_create_person_validation_in_russian(school, data, as_curator):
    url = f"/organisations/{school.pk}/staff"
    assert errors(as_curator.post(url, {"first_name": "Анна", "position": "Учитель"})) == {
        "last_name": "Обязательное поле."
    }
    found = errors(as_curator.post(url, {**NEW, "email": "не почта", "teaching_experience": -1}))
    assert "email" in found
    assert "teaching_experience" in found
    assert errors(as_curator.post(url, {**NEW, "birth_date": "1800-01-01"}))["birth_date"] == (
        "Дата должна быть между 1900 и 2100 годами."
    )
    assert "last_name" in errors(as_curator.post(url, {**NEW, "last_name": "a\x00b"}))


def test_patch_person_changes_only_given_fields(school, data, as_curator):
    url = f"/organisations/{school.pk}/staff/{data.person_id}"
    response = as_curator.patch(url, {"position": "Заместитель директора", "levels": ["primary"]})
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=data.person_id)
    assert person.position == "Заместитель директора"
    assert person.email == "maria@example.org"
    assert errors(as_curator.patch(url, {"last_name": ""})) == {"last_name": "Обязательное поле."}


def test_bad_bodies_are_4xx(school, data, as_curator):
    url = f"/organisations/{school.pk}/staff"
    response = as_curator.post(url, raw="{not json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    response = as_curator.post(
        url, raw="last_name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert as_curator.post(url, raw="[1, 2]").status_code == 400
    assert as_curator.post(url, raw='"text"').status_code == 400


def test_consent_create_and_withdraw_use_the_ledger(school, data, as_curator):
    url = f"/organisations/{school.pk}/consents"
    given = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    refused = errors(
        as_curator.post(url, {"person_id": data.person_id, "kind": "processing", "given_on": given})
    )
    assert "уже есть действующее согласие" in refused["body"]
    missing = errors(
        as_curator.post(
            url, {"person_id": data.person_id, "kind": "distribution", "given_on": given}
        )
    )
    assert "allowed_items" in missing
    response = as_curator.post(
        url,
        {
            "person_id": data.person_id,
            "kind": "distribution",
            "given_on": given,
            "allowed_items": ["name", "position"],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["purpose"].startswith("Информационное сопровождение")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    assert "given_on" in errors(
        as_curator.post(
            url, {"person_id": data.mentor_id, "kind": "duties_mentor", "given_on": future}
        )
    )
    last_name = Person.objects.get(pk=data.person_id).last_name
    response = as_curator.post(
        f"{url}/{data.consent_id}/withdraw", {"note": "Заявление", "confirm_last_name": last_name}
    )
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn_at"]
    assert not response.json()["is_valid"]
    assert Consent.objects.get(pk=data.consent_id).withdrawal_note == "Заявление"


def test_event_create_uses_the_form(school, data, as_curator):
    url = f"/organisations/{school.pk}/events"
    body = {
        "kind": "seminar",
        "title": "Семинар",
        "audience": "mentors",
        "starts_at": "2099-01-10T10:00:00+03:00",
        "ends_at": "2099-01-10T09:00:00+03:00",
    }
    found = errors(as_curator.post(url, body))
    assert found == {
        "ends_at": "Окончание должно быть позже начала.",
        "place": "Укажите место или ссылку на онлайн-встречу.",
    }
    response = as_curator.post(url, {**body, "ends_at": "2099-01-10T12:00:00+03:00", "place": "1"})
    assert response.status_code == 201, response.content
    assert Event.objects.get(pk=response.json()["id"]).organisation == school


def test_task_status_via_the_service(school, data, as_curator):
    url = f"/organisations/{school.pk}/tasks/{data.task_id}"
    assert errors(as_curator.patch(url, {"status": "postponed"})) == {"body": "Укажите новый срок."}
    assert "status" in errors(as_curator.patch(url, {"status": "lost"}))
    response = as_curator.patch(url, {"status": "done", "evidence_link": "https://example.org/a"})
    assert response.status_code == 200, response.content
    task = Task.objects.get(pk=data.task_id)
    assert task.status == "done"
    assert task.done_on == timezone.localdate()


def control_message(field: str, code: str, position: int) -> str:
    return (
        f"Поле «{field}» содержит невидимый управляющий символ {code} (знак № {position}). Такие "
        "символы попадают при копировании из других программ: удалите его и сохраните снова."
    )


def test_it_refuses_control_characters_in_a_new_person_and_saves_nothing(school, data, as_curator):
    url = f"/organisations/{school.pk}/staff"
    before = Person.objects.count()
    assert errors(as_curator.post(url, {**NEW, "last_name": "Петрова\x18"})) == {
        "last_name": control_message("last_name", "U+0018", 8)
    }
    assert errors(as_curator.post(url, {**NEW, "subjects": ["История", "\x1bМХК"]})) == {
        "subjects.1": control_message("subjects", "U+001B", 1)
    }
    assert Person.objects.count() == before


def test_it_refuses_a_control_character_in_an_event_and_saves_nothing(school, data, as_curator):
    body = {
        "kind": "seminar", "title": "Семинар\x0b", "audience": "mentors", "place": "Каб. 5",
        "starts_at": "2099-01-10T10:00:00+03:00", "ends_at": "2099-01-10T12:00:00+03:00",
    }  # fmt: skip
    before = Event.objects.count()
    found = errors(as_curator.post(f"/organisations/{school.pk}/events", body))
    assert found == {"title": control_message("title", "U+000B", 8)}
    assert Event.objects.count() == before


def test_it_refuses_a_control_character_in_a_patch(school, data, as_curator):
    url = f"/organisations/{school.pk}/staff/{data.person_id}"
    position = Person.objects.get(pk=data.person_id).position
    found = errors(as_curator.patch(url, {"position": "Учитель\x7f"}))
    assert found == {"position": control_message("position", "U+007F", 8)}
    assert Person.objects.get(pk=data.person_id).position == position
