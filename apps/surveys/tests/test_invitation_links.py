"""Personal survey links: they expire after the deadline's grace period, the curator can
reissue one (the old link stops), a revoked link never shows the answers."""

import datetime

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from apps.surveys.models import TOKEN_SALT, Answer, Campaign, Invitation
from apps.surveys.services import install_shipped, reissue_link
from tests.factories import PersonFactory

SECRET = "Боюсь открытых уроков"


@pytest.fixture
def invitation(school):
    template = install_shipped(org=school)[0]
    campaign = Campaign.objects.create(
        organisation=school,
        template=template,
        title="Запросы",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    person = PersonFactory(organisation=school, email="t@example.org")
    invitation = Invitation.objects.create(campaign=campaign, person=person)
    text = template.questions.filter(kind="text").first()
    Answer.objects.create(invitation=invitation, question=text, value=SECRET)
    return invitation


def set_deadline(invitation, days_from_today: int) -> None:
    Campaign.objects.filter(pk=invitation.campaign_id).update(
        deadline=timezone.localdate() + datetime.timedelta(days=days_from_today)
    )


def open_link(client, token):
    response = client.get(reverse("surveys:answer", args=[token]))
    return response, response.content.decode()


def test_it_opens_a_link_within_the_grace_period(client, invitation, settings):
    settings.SURVEY_LINK_DAYS_AFTER_DEADLINE = 14
    set_deadline(invitation, -14)
    response, page = open_link(client, invitation.token)
    assert response.status_code == 200
    assert SECRET in page


def test_it_refuses_a_link_after_the_grace_period(client, invitation, settings):
    settings.SURVEY_LINK_DAYS_AFTER_DEADLINE = 14
    set_deadline(invitation, -15)
    response, page = open_link(client, invitation.token)
    expired_on = timezone.localdate() - datetime.timedelta(days=1)
    assert response.status_code == 410
    assert response.context["reason"] == f"Срок действия ссылки истёк {expired_on:%d.%m.%Y}."
    assert SECRET not in page


def test_the_default_grace_period_is_two_weeks(settings):
    from nastavnik import settings as project_settings

    assert project_settings.SURVEY_LINK_DAYS_AFTER_DEADLINE == 14


def test_it_refuses_to_save_through_an_expired_link(client, invitation, settings):
    settings.SURVEY_LINK_DAYS_AFTER_DEADLINE = 0
    set_deadline(invitation, -1)
    text = invitation.answers.get().question
    response = client.post(
        reverse("surveys:answer", args=[invitation.token]), {f"q{text.pk}": "Другое"}
    )
    assert response.status_code == 410
    assert invitation.answers.get().value == SECRET


def test_the_curator_reissues_a_link_and_the_old_one_stops(curator_client, client, invitation):
    old = invitation.token
    url = reverse(
        "surveys:invitation-reissue",
        args=[invitation.campaign.organisation_id, invitation.campaign_id, invitation.pk],
    )
    response = curator_client.post(url)
    invitation.refresh_from_db()
    assert (response.status_code, invitation.link_version) == (302, 1)
    old_response, old_page = open_link(client, old)
    assert old_response.status_code == 410
    assert old_response.context["reason"] == (
        "Куратор выпустил новую ссылку на эту анкету; прежняя больше не действует."
    )
    assert SECRET not in old_page
    new_response, new_page = open_link(client, invitation.token)
    assert new_response.status_code == 200
    assert SECRET in new_page


def test_the_detail_page_offers_the_reissue_button(curator_client, invitation):
    page = curator_client.get(
        reverse(
            "surveys:campaign-detail",
            args=[invitation.campaign.organisation_id, invitation.campaign_id],
        )
    ).content.decode()
    action = reverse(
        "surveys:invitation-reissue",
        args=[invitation.campaign.organisation_id, invitation.campaign_id, invitation.pk],
    )
    assert f'action="{action}"' in page


def test_only_a_curator_reissues_by_post(curator_client, head_client, outsider_client, invitation):
    campaign = invitation.campaign
    url = reverse(
        "surveys:invitation-reissue", args=[campaign.organisation_id, campaign.pk, invitation.pk]
    )
    assert curator_client.get(url).status_code == 405
    assert head_client.post(url).status_code == 403
    assert outsider_client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.link_version == 0


def test_a_revoked_link_shows_no_answers(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(link_revoked_at=timezone.now())
    response, page = open_link(client, invitation.token)
    assert response.status_code == 410
    assert response.context["reason"] == "Ссылка отозвана и больше не действует."
    assert SECRET not in page


def test_reminders_skip_revoked_links(curator_client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(link_revoked_at=timezone.now())
    mail.outbox.clear()
    campaign = invitation.campaign
    curator_client.post(
        reverse("surveys:campaign-remind", args=[campaign.organisation_id, campaign.pk])
    )
    assert mail.outbox == []


def test_it_refuses_to_reissue_a_revoked_link(curator_client, client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(link_revoked_at=timezone.now())
    campaign = invitation.campaign
    url = reverse(
        "surveys:invitation-reissue", args=[campaign.organisation_id, campaign.pk, invitation.pk]
    )
    response = curator_client.post(url, follow=True)
    invitation.refresh_from_db()
    assert invitation.link_version == 0
    assert [str(m) for m in response.context["messages"]] == [
        f"{invitation.person.full_name}: Ссылка отозвана: данные сотрудника уничтожены после "
        "отзыва согласия, новую ссылку выпустить нельзя."
    ]
    assert open_link(client, invitation.token)[0].status_code == 410


def test_links_sent_before_versions_open_until_reissued(client, invitation):
    legacy = signing.dumps(invitation.pk, salt=TOKEN_SALT)
    assert open_link(client, legacy)[0].status_code == 200
    reissue_link(invitation=invitation)
    assert open_link(client, legacy)[0].status_code == 410
