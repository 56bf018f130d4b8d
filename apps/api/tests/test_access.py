"""Scopes and roles: a read key cannot write; the role decides what is readable."""

import pytest

from apps.orgs.choices import Role

from .conftest import ApiClient, issue

pytestmark = pytest.mark.django_db


def test_read_key_cannot_post(school, data, as_reader):
    response = as_reader.post(
        f"/organisations/{school.pk}/events",
        {
            "kind": "seminar",
            "title": "Семинар",
            "audience": "mentors",
            "place": "Каб. 1",
            "starts_at": "2099-01-10T10:00:00+03:00",
            "ends_at": "2099-01-10T12:00:00+03:00",
        },
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Ключ выдан только для чтения."


def test_mentor_key_cannot_read_consents_or_staff(school, data):
    client = ApiClient(issue(school, Role.MENTOR, "write"))
    assert client.get(f"/organisations/{school.pk}/consents").status_code == 403
    assert client.get(f"/organisations/{school.pk}/staff").status_code == 403
    assert client.get(f"/organisations/{school.pk}/events").status_code == 200


def test_staff_personal_decides_contact_fields(school, municipality, data):
    head = ApiClient(issue(school, Role.HEAD))
    item = head.get(f"/organisations/{school.pk}/staff/{data.person_id}").json()
    assert item["personal"] == {
        "email": "maria@example.org",
        "phone": "+7 900 000-00-00",
        "birth_date": "1990-05-17",
    }
    methodist = ApiClient(issue(municipality, Role.METHODIST))
    item = methodist.get(f"/organisations/{school.pk}/staff/{data.person_id}").json()
    assert item["personal"] is None
    assert "maria@example.org" not in str(methodist.get(f"/organisations/{school.pk}/staff").json())


def test_documents_never_expose_files(school, data, as_reader):
    item = as_reader.get(f"/organisations/{school.pk}/documents").json()["items"][0]
    assert set(item) == {"id", "organisation_id", "number", "date", "kind", "title", "status"}


def test_municipality_key_reads_its_schools_but_writes_only_in_a_school(municipality, school, data):
    client = ApiClient(issue(municipality, Role.ADMIN, "write"))
    assert client.get(f"/organisations/{municipality.pk}/units").json()["count"] == 1
    response = client.post(
        f"/organisations/{municipality.pk}/staff",
        {"last_name": "Петров", "first_name": "Пётр", "position": "Учитель"},
    )
    assert response.status_code == 404


def test_docs_and_schema_are_served_locally(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/organisations/{org_id}/staff" in schema.json()["paths"]
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page
