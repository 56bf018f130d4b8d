"""Background e-mail to survey respondents (run by `manage.py db_worker`)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from apps.surveys.models import Campaign, Invitation


def _link(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveys:answer", args=[invitation.token])


def _messages(invitations, subject: str, intro: str):
    for invitation in invitations:
        campaign = invitation.campaign
        body = (
            f"Здравствуйте, {invitation.person.first_name} {invitation.person.middle_name}!\n\n"
            f"{intro}\n«{campaign.title}» — {campaign.organisation.short_name}.\n"
            f"Ответить до {campaign.deadline:%d.%m.%Y} по личной ссылке (она действует до "
            f"{invitation.link_expires_on:%d.%m.%Y}):\n{_link(invitation)}\n\n"
            "Ответы сохраняются сразу; к анкете можно вернуться по той же ссылке. "
            "Ссылка личная — не пересылайте её."
        )
        yield (subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.person.email])


def _send(campaign_id: int, *, pending, subject: str, intro: str, stamp: str) -> int:
    campaign = Campaign.objects.select_related("organisation").get(pk=campaign_id)
    invitations = list(
        campaign.invitations.filter(**pending, link_revoked_at__isnull=True)
        .exclude(person__email="")
        .select_related("person", "campaign__organisation")
    )
    send_mass_mail(
        _messages(invitations, f"{subject}: {campaign.title}", intro), fail_silently=False
    )
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(**{stamp: timezone.now()})
    return len(invitations)


@task()
def send_invitations(campaign_id: int) -> int:
    """E-mail personal links to invited people who have an address and got none yet."""
    return _send(
        campaign_id,
        pending={"sent_at__isnull": True},
        subject="Анкета",
        intro="Просим заполнить анкету",
        stamp="sent_at",
    )


@task()
def send_reminders(campaign_id: int) -> int:
    """Remind those who have not sent the questionnaire yet."""
    return _send(
        campaign_id,
        pending={"submitted_at__isnull": True},
        subject="Напоминание",
        intro="Напоминаем об анкете",
        stamp="reminded_at",
    )
