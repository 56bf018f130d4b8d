"""A request over the largest upload limit is refused by its Content-Length, unread (413)."""

import pytest
from django.urls import reverse

from apps.orgs.errors import request_max_bytes
from apps.people.models import Person

pytestmark = pytest.mark.django_db

HUNDRED_MB = str(100 * 1024 * 1024)


def test_it_is_the_largest_upload_limit_plus_a_megabyte(settings):
    settings.LIBRARY_MAX_BYTES = 30 * 1024 * 1024
    assert request_max_bytes() == 31 * 1024 * 1024


def test_it_refuses_a_100_mb_upload_before_the_view(curator_client, school):
    url = reverse("people:person-create", args=[school.pk])
    response = curator_client.post(
        url, {"last_name": "Петрова", "first_name": "Анна"}, CONTENT_LENGTH=HUNDRED_MB
    )
    assert response.status_code == 413
    html = response.content.decode()
    start = html.index('id="too-large-message">') + len('id="too-large-message">')
    assert html[start : html.index("</div>", start)] == (
        "Запрос больше 21 МБ, и сервер не стал его принимать. Уменьшите или сожмите файл и "
        "отправьте форму снова."
    )
    assert Person.objects.count() == 0


def test_it_answers_json_on_the_api(client, school):
    response = client.post(
        "/api/v1/organisations/1/staff", "{}", content_type="application/json",
        CONTENT_LENGTH=HUNDRED_MB,
    )  # fmt: skip
    assert response.status_code == 413
    assert response.json() == {"detail": "Слишком большой запрос: больше 21 МБ."}


def test_it_lets_a_request_within_the_limit_through(curator_client, school):
    url = reverse("people:person-create", args=[school.pk])
    response = curator_client.post(
        url,
        {"last_name": "Петрова", "first_name": "Анна", "position": "Учитель", "category": "none",
         "status": "active"},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(Person.objects.values_list("last_name", flat=True)) == ["Петрова"]
