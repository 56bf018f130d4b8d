"""The Atom feed and the public calendar survive control characters stored in texts."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.events.models import Event
from apps.orgs.models import Organisation
from apps.publicity.models import Post
from apps.publicity.services import publish
from apps.publicity.tests.test_publicity import HOUR, NOW, new_post, public_school  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_serves_the_atom_feed_without_stored_control_characters(school, public_school):  # noqa: F811
    cache.clear()
    post = publish(new_post(school, title="Новость"))
    Post.objects.filter(pk=post.pk).update(title="Новость\x0b дня", body="<p>Текст\x1b</p>")
    Organisation.objects.filter(pk=school.pk).update(short_name="Школа\x18 № 1")
    response = Client().get(reverse("publicity:feed", args=[school.slug]))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == "Наставничество — Школа № 1"
    (entry,) = root.findall("a:entry", ns)
    assert entry.find("a:title", ns).text == "Новость дня"
    assert entry.find("a:summary", ns).text == "<p>Текст</p>"


def test_it_serves_the_calendar_without_stored_control_characters(school, public_school):  # noqa: F811
    Event.objects.create(
        organisation=school, kind="seminar", title="Семинар\x0b для пар", audience="pairs",
        starts_at=NOW + 72 * HOUR, ends_at=NOW + 73 * HOUR, place="Каб.\x1b 5", is_public=True,
    )  # fmt: skip
    response = Client().get(reverse("publicity:events-ics", args=[school.slug]))
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert [line for line in lines if line.startswith(("SUMMARY", "LOCATION"))] == [
        "SUMMARY:Семинар: Семинар для пар",
        "LOCATION:Каб. 5",
    ]
