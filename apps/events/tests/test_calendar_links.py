"""Secret calendar links expire and can be re-issued; events are internal unless marked public."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.events.models import CalendarLink, Event
from tests.factories import PersonFactory
from tests.html import texts

DAY = datetime.timedelta(days=1)


def feed_path(page: str) -> str:
    """The secret calendar address a page shows."""
    return re.search(r"http://testserver(/ical/[^<\s]+\.ics)", page).group(1)


def school_feed(client, school) -> str:
    return feed_path(client.get(reverse("events:list", args=[school.pk])).content.decode())


@pytest.mark.django_db
def test_it_refuses_a_school_link_after_its_term(curator_client, school, settings):
    settings.CALENDAR_LINK_DAYS = 30
    path = school_feed(curator_client, school)
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    CalendarLink.objects.update(issued_at=timezone.now() - 31 * DAY)  # expired yesterday
    assert anonymous.get(path).status_code == 404
    page = curator_client.get(reverse("events:list", args=[school.pk]))
    expired = (timezone.localdate() - DAY).strftime("%d.%m.%Y")
    notice = f"ссылка истекла {expired} — перевыпустите её и подпишитесь заново."
    assert texts(page, "span.text-danger") == [notice]


@pytest.mark.django_db
def test_it_invalidates_the_old_school_link_on_reissue(curator_client, school):
    old = school_feed(curator_client, school)
    response = curator_client.post(
        reverse("events:list", args=[school.pk]), {"action": "reissue-feed"}
    )
    assert response.status_code == 302
    new = school_feed(curator_client, school)
    assert new != old
    assert (Client().get(old).status_code, Client().get(new).status_code) == (404, 200)


@pytest.mark.django_db
def test_it_lets_only_managers_reissue_the_school_link(mentor_client, curator_client, school):
    old = school_feed(curator_client, school)
    url = reverse("events:list", args=[school.pk])
    assert mentor_client.post(url, {"action": "reissue-feed"}).status_code == 403
    assert Client().get(old).status_code == 200


@pytest.mark.django_db
def test_it_lets_a_person_reissue_their_own_link(mentor, mentor_client, school):
    PersonFactory(organisation=school, user=mentor)
    my = reverse("events:my")
    old = feed_path(mentor_client.get(my).content.decode())
    assert mentor_client.post(my, {"action": "reissue-feed"}).status_code == 302
    new = feed_path(mentor_client.get(my).content.decode())
    assert (Client().get(old).status_code, Client().get(new).status_code) == (404, 200)


@pytest.mark.django_db
def test_it_refuses_the_old_links_that_never_expired(client, school):
    token = signing.dumps({"k": "school", "id": school.pk}, salt="events.feed", compress=True)
    assert client.get(f"/ical/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_it_saves_the_public_checkbox_off_by_default(curator_client, school):
    url = reverse("events:create", args=[school.pk])
    start = timezone.localtime() + 3 * DAY
    day = f"{start:%Y-%m-%d}"
    data = {"kind": "seminar", "title": "Семинар", "audience": "staff", "place": "Зал",
            "starts_at": f"{day}T10:00", "ends_at": f"{day}T12:00"}  # fmt: skip
    assert curator_client.post(url, data).status_code == 302
    assert curator_client.post(url, {**data, "is_public": "on"}).status_code == 302
    assert list(Event.objects.order_by("pk").values_list("is_public", flat=True)) == [False, True]
