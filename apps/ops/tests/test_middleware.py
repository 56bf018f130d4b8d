"""No caching of private responses; the idle timeout of staff sessions."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.documents.models import DocKind
from apps.documents.services import issue
from apps.documents.tests.test_documents import pair_world
from apps.ops.middleware import SEEN_KEY
from apps.publicity.models import Post
from apps.publicity.services import add_image, page_for, publish, sanitize

pytestmark = pytest.mark.django_db

NO_STORE = "no-store, private"


def public_school(school):
    page = page_for(school)
    page.is_published = True
    page.save()
    return school


def published_photo(school):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    post = Post.objects.create(organisation=school, title="Новость", body=sanitize("Текст."))
    image = add_image(
        post, SimpleUploadedFile("photo.jpeg", buffer.getvalue()), alt="Зал", people=[]
    )
    publish(post)
    return reverse("publicity:photo", args=[school.slug, image.pk])


def test_it_forbids_storing_a_staff_page(curator_client, school):
    response = curator_client.get(reverse("people:person-list", args=[school.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_it_forbids_storing_a_download(curator_client, school):
    response = curator_client.get(reverse("banks:mentor-export", args=[school.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == NO_STORE


def test_it_forbids_storing_a_document_download(curator_client, curator, school):
    pair_world(school, curator_user=curator)
    document = issue(org=school, kind=DocKind.CURATOR, by=None, day=datetime.date(2026, 11, 25))
    response = curator_client.get(reverse("documents:file", args=[school.pk, document.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == NO_STORE


def test_it_forbids_storing_a_page_opened_by_a_personal_link(school):
    response = Client().get(reverse("surveys:answer", args=["no-such-token"]))
    assert response.status_code == 404
    assert response["Cache-Control"] == NO_STORE


def test_it_leaves_the_public_page_cacheable_for_visitors(school):
    public_school(school)
    response = Client().get(reverse("publicity:page", args=[school.slug]))
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_it_forbids_storing_the_public_page_for_a_logged_in_user(curator_client, school):
    public_school(school)
    response = curator_client.get(reverse("publicity:page", args=[school.slug]))
    assert response["Cache-Control"] == NO_STORE


def test_it_keeps_the_caching_a_public_photo_declares(curator_client, school):
    url = published_photo(public_school(school))
    assert Client().get(url)["Cache-Control"] == "public, max-age=86400"
    assert curator_client.get(url)["Cache-Control"] == "public, max-age=86400"


def session_of(client: Client):
    return Session.objects.get(session_key=client.session.session_key)


def log_in(user) -> tuple[Client, object]:
    user.set_password("right-pass-123")
    user.save()
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": "right-pass-123"})
    assert response.status_code == 302
    return client, response


def test_it_ends_a_staff_session_after_the_idle_minutes(settings, curator):
    settings.SESSION_STAFF_IDLE_MINUTES = 60
    before = timezone.now()
    client, response = log_in(curator)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 3600
    expires = session_of(client).expire_date
    assert before + datetime.timedelta(minutes=60) <= expires
    assert expires <= timezone.now() + datetime.timedelta(minutes=60)


def test_it_keeps_the_working_day_for_a_mentor(settings, mentor):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client, response = log_in(mentor)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    assert client.session.get_expiry_age() == 8 * 3600


def test_it_moves_the_expiry_on_activity(settings, curator_client, school):
    settings.SESSION_STAFF_IDLE_MINUTES = 60
    url = reverse("people:person-list", args=[school.pk])
    curator_client.get(url)
    session = curator_client.session
    session[SEEN_KEY] -= 120  # the last refresh was two minutes ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=58)
    )
    curator_client.get(url)
    expires = session_of(curator_client).expire_date
    assert expires >= timezone.now() + datetime.timedelta(minutes=59)


def test_it_logs_out_a_staff_user_idle_too_long(settings, curator_client, school):
    url = reverse("people:person-list", args=[school.pk])
    curator_client.get(url)
    Session.objects.filter(session_key=curator_client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = curator_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_defaults_to_eight_hours_and_an_hour_idle():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_STAFF_IDLE_MINUTES == 60
