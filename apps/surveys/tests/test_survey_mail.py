"""Survey letters with a mail server that fails: no 500, each letter stamped or its reason kept,
a later run sends only what did not go."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from apps.surveys.models import Campaign
from apps.surveys.services import install_shipped
from apps.surveys.tasks import send_invitations
from tests.factories import PersonFactory
from tests.html import texts

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def launch(curator_client, school, django_capture_on_commit_callbacks):
    templates = install_shipped(org=school)

    def go() -> Campaign:
        people = [
            PersonFactory(organisation=school, email="t1@example.org", last_name="Андреева"),
            PersonFactory(organisation=school, email="t2@down.example.org", last_name="Борисова"),
        ]
        deadline = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
        with django_capture_on_commit_callbacks(execute=True):
            response = curator_client.post(
                reverse("surveys:campaign-create", args=[school.pk]),
                {"template": templates[0].pk, "title": "Запросы", "deadline": deadline,
                 "people": [p.pk for p in people], "create": "1"},
            )  # fmt: skip
        assert response.status_code == 302
        return Campaign.objects.get()

    return go


def test_it_keeps_what_went_and_why_the_rest_did_not(settings, launch, curator_client, school):
    settings.EMAIL_BACKEND = "tests.mail_backends.PartlyDownBackend"
    campaign = launch()
    assert [m.to for m in mail.outbox] == [["t1@example.org"]]
    rows = {
        i.person.email: (i.sent_at is not None, i.mail_error)
        for i in campaign.invitations.select_related("person")
    }
    assert rows == {
        "t1@example.org": (True, ""),
        "t2@down.example.org": (
            False, "почтовый сервер недоступен — письмо будет отправлено позже"
        ),
    }  # fmt: skip
    page = curator_client.get(reverse("surveys:campaign-detail", args=[school.pk, campaign.pk]))
    assert [c for c in texts(page, "td.small") if c.startswith("не отправлено: почтовый сервер")]

    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox.clear()
    assert send_invitations.call(campaign.pk) == 1
    assert [m.to for m in mail.outbox] == [["t2@down.example.org"]]
    assert campaign.invitations.filter(sent_at__isnull=True).count() == 0
    assert campaign.invitations.exclude(mail_error="").count() == 0


def test_it_schedules_a_retry_when_the_backend_can_defer(settings, launch):
    settings.EMAIL_BACKEND = "tests.mail_backends.PartlyDownBackend"
    campaign = launch()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MAIL_MAX_ATTEMPTS = 2
    assert send_invitations.call(campaign.pk) == 0
    retry = default_task_backend.results[-1]
    assert retry.args == [campaign.pk, 2]
    assert send_invitations.call(*retry.args) == 0
    assert len(default_task_backend.results) == 1  # the last attempt schedules nothing
