"""Events of the programme: установочные сессии, консультации, семинары, круглые столы."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.links import read_link, sign_link
from apps.orgs.models import Organisation
from apps.orgs.tenancy import OrgQuerySet
from apps.people.models import Person


class EventKind(models.TextChoices):
    SESSION = "session", _("Установочная сессия наставников")
    CONSULTATION = "consultation", _("Консультация")
    EXCHANGE = "exchange", _("Обмен опытом")
    CONFERENCE = "conference", _("Школьная конференция")
    SEMINAR = "seminar", _("Семинар")
    ROUND_TABLE = "round_table", _("Итоговый круглый стол")
    OTHER = "other", _("Другое")


class EventAudience(models.TextChoices):
    MENTORS = "mentors", _("Наставники")
    MENTEES = "mentees", _("Наставляемые")
    PAIRS = "pairs", _("Наставники и наставляемые")
    STAFF = "staff", _("Все педагоги")


# Roadmap stage each kind belongs to.
STAGE_OF_KIND = {
    EventKind.SESSION: 4,
    EventKind.CONSULTATION: 4,
    EventKind.EXCHANGE: 5,
    EventKind.CONFERENCE: 6,
    EventKind.SEMINAR: 6,
    EventKind.ROUND_TABLE: 6,
    EventKind.OTHER: 5,
}


class Event(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("вид"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("название"), max_length=300)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))
    place = models.CharField(_("место"), max_length=300, blank=True)
    online_url = models.URLField(_("ссылка на онлайн-встречу"), blank=True)
    audience = models.CharField(_("для кого"), max_length=10, choices=EventAudience.choices)
    guests_allowed = models.BooleanField(_("с гостями из других школ"), default=False)
    # Only events a curator marks public reach the public page, its iCal and the embed block;
    # consultations and meetings of pairs stay internal by default.
    is_public = models.BooleanField(
        _("показывать на публичной странице"),
        default=False,
        help_text=_(
            "Название, дата и место появятся на публичной странице, в её календаре и блоке для "
            "сайта. Ссылка на онлайн-встречу там не показывается никогда."
        ),
    )
    programme = models.TextField(_("программа"), blank=True)
    speakers = models.CharField(_("выступающие"), max_length=500, blank=True)
    resolutions = models.TextField(_("итоги и решения"), blank=True)
    # Created after it had started: recorded after the fact, shown with a badge.
    entered_late = models.BooleanField(_("внесено задним числом"), default=False)
    # When attendance was last marked: from then on every seat is «присутствовал(а)» or
    # «отсутствовал(а)», not «приглашён(а)».
    attendance_marked_at = models.DateTimeField(_("присутствие отмечено"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="event_dates")
        ]
        indexes = [
            models.Index(fields=["organisation", "is_public", "starts_at"], name="event_public")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage(self) -> int:
        return STAGE_OF_KIND.get(self.kind, 5)


RSVP_SALT = "events.rsvp"  # a signing namespace, not a secret


class EventOwnedQuerySet(OrgQuerySet):
    org_field = "event__organisation"


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="event_seats"
    )
    guest_name = models.CharField(_("гость"), max_length=300, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("присутствовал(а)"), default=False)
    uninvited = models.BooleanField(_("пришёл без приглашения"), default=False)

    objects = EventOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("участник мероприятия")
        verbose_name_plural = _("участники мероприятий")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], condition=Q(person__isnull=False),
                name="participant_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""), name="participant_named"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.person.full_name if self.person else self.guest_name

    @property
    def name(self) -> str:
        return str(self)

    @property
    def token(self) -> str:
        """The key of the personal link that confirms or declines this seat without an account."""
        return sign_link(self.pk, 0, salt=RSVP_SALT)

    @staticmethod
    def parse_token(token: str) -> int | None:
        parsed = read_link(token, salt=RSVP_SALT)
        return parsed[0] if parsed and parsed[1] == 0 else None

    @property
    def state(self) -> str:
        """The seat's badge: attendance once it is marked, else the answer to the invitation."""
        if self.event.attendance_marked_at or self.attended:
            return "присутствовал(а)" if self.attended else "отсутствовал(а)"
        if self.declined_at:
            return "не сможет"
        if self.registered_at:
            return "записан(а)"
        return "приглашён(а)" if self.invited_at else "в списке"


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    SENDING = "sending", _("отправляется")
    RETRYING = "retrying", _("будет повтор")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("не отправлено")


class InvitationMailQuerySet(OrgQuerySet):
    org_field = "participant__event__organisation"


class InvitationMail(models.Model):
    """What became of one participant's e-mail invitation (sent by apps.events.tasks)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="mail")
    email = models.EmailField(_("адрес"))
    status = models.CharField(
        _("письмо"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.CharField(_("последняя ошибка"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvitationMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("письмо-приглашение")
        verbose_name_plural = _("письма-приглашения")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="invitation_mail_due")]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"


class FeedKind(models.TextChoices):
    PERSON = "person", _("мои мероприятия")
    SCHOOL = "school", _("мероприятия школы")


class CalendarLink(models.Model):
    """The current secret calendar link of a person or a school.

    The link carries a signed (kind, target, version); re-issuing bumps the version, so every
    older link stops working, and a link older than `CALENDAR_LINK_DAYS` is refused.
    """

    kind = models.CharField(max_length=10, choices=FeedKind.choices)
    target_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField(default=1)
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ссылка на календарь")
        verbose_name_plural = _("ссылки на календарь")
        constraints = [
            models.UniqueConstraint(fields=["kind", "target_id"], name="calendar_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target_id} v{self.version}"
