"""Consents in electronic form: a personal link, the exact form text, a one-time code by e-mail.

The curator sends links (`issue_requests`, letters go in the background: `tasks.py`). The person
opens the link, reads the form and asks for a code (`send_code`): the text shown is frozen on
the request at that moment and the code goes to the register's e-mail. Entering the code
(`confirm_code`) records the consent with its method, time, IP address, browser and the exact
text with its SHA-256. The code is kept only as a keyed hash; it lives CONSENT_CODE_MINUTES,
allows CONSENT_CODE_ATTEMPTS tries and works once.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from apps.core.codes import CodeRules, minutes_text, new_code
from apps.core.links import read_link, sign_link
from apps.people.choices import ConsentKind, ConsentMethod, DistributionItem, PersonStatus
from apps.people.consent_text import form_context, form_html, form_text, text_digest
from apps.people.consents import DEFAULT_DATA, DEFAULT_PURPOSE, ConsentRefused, give_consent
from apps.people.models import Consent, ConsentRequest, ConsentSettings, Person

LINK_SALT = "people.consent-request"
CODE_RULES = CodeRules(
    salt="people.consent-code",
    expired="Срок действия кода истёк. Запросите новый код.",
    exhausted="Попытки ввода кода исчерпаны. Запросите новый код.",
    wrong="Неверный код.",
    none_left="Попытки исчерпаны, запросите новый код.",
)


class LinkClosed(Exception):
    """The personal link does not open; the message is for the person, `status` the answer."""

    def __init__(self, message: str, status: int = 410):
        super().__init__(message)
        self.status = status


class CodeRefused(Exception):
    """The code is wrong, expired or used up; the message is for the person."""


def electronic_allowed(org) -> bool:
    found = ConsentSettings.objects.of(org).values_list("electronic_allowed", flat=True).first()
    return bool(found)


@transaction.atomic
def save_settings(*, org, electronic_allowed: bool) -> ConsentSettings:
    """Side effects: the school's ConsentSettings row. Turning electronic consents off closes
    every link not yet used (they answer «не принимает» until it is on again)."""
    row, _created = ConsentSettings.objects.update_or_create(
        organisation=org, defaults={"electronic_allowed": electronic_allowed}
    )
    return row


def request_key(request: ConsentRequest) -> str:
    return sign_link(request.pk, request.link_version, salt=LINK_SALT)


def link_url(request: ConsentRequest) -> str:
    path = reverse("people:consent-sign", args=[request_key(request)])
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def issue_requests(*, org, people: list[Person], kind: str, by) -> list[ConsentRequest]:
    """Ask each person (with an e-mail, no valid consent of `kind`) for the consent by link.

    Raises ConsentRefused when the school does not accept electronic consents. A person with
    an open request of that kind keeps it (its link is sent again). Side effects: ConsentRequest
    rows; after commit a background task e-mails the links.
    """
    if not electronic_allowed(org):
        raise ConsentRefused(
            "Школа не принимает согласия в электронной форме: включите это в настройках "
            "согласий (внизу страницы «Согласия»)."
        )
    today = timezone.localdate()
    requests = []
    for person in people:
        open_one = (
            ConsentRequest.objects.filter(
                person=person, kind=kind, completed_at__isnull=True, revoked_at__isnull=True,
                expires_on__gte=today,
            ).first()
        )  # fmt: skip
        if open_one is None:
            open_one = ConsentRequest.objects.create(
                person=person,
                kind=kind,
                created_by=by,
                expires_on=today + datetime.timedelta(days=settings.CONSENT_LINK_DAYS),
            )
        else:
            ConsentRequest.objects.filter(pk=open_one.pk).update(sent_at=None)
        requests.append(open_one)
    ids = [r.pk for r in requests]
    if ids:
        transaction.on_commit(lambda: send_consent_links.enqueue(ids))
    return requests


def request_by_key(key: str, *, today: datetime.date | None = None) -> ConsentRequest:
    """The request a personal link opens. Raises LinkClosed: 404 for a forged or unknown key,
    410 for one that was replaced, revoked, used, expired, or when the school stopped
    accepting electronic consents."""
    parsed = read_link(key, salt=LINK_SALT)
    found = (
        ConsentRequest.objects.select_related("person__organisation").filter(pk=parsed[0]).first()
        if parsed
        else None
    )
    if found is None:
        raise LinkClosed("", status=404)
    if found.revoked_at or found.person.anonymised_at or parsed[1] != found.link_version:
        raise LinkClosed("Ссылка отозвана и больше не действует.")
    if found.completed_at:
        when = timezone.localtime(found.completed_at)
        raise LinkClosed(
            f"Согласие по этой ссылке уже дано {when:%d.%m.%Y в %H:%M}. Ссылка одноразовая."
        )
    if (today or timezone.localdate()) > found.expires_on:
        raise LinkClosed(f"Срок действия ссылки истёк {found.expires_on:%d.%m.%Y}.")
    if not electronic_allowed(found.person.organisation):
        raise LinkClosed("Школа сейчас не принимает согласия в электронной форме.")
    if found.person.status == PersonStatus.ARCHIVED:
        raise LinkClosed("Ссылка больше не действует.")
    return found


def live_context(request: ConsentRequest, allowed_items: list[str] | None = None) -> dict:
    """The form as the person would agree to it now (distribution: with their choice)."""
    person = request.person
    consent = None
    if request.kind == ConsentKind.DISTRIBUTION and allowed_items is not None:
        consent = Consent(kind=request.kind, allowed_items=list(allowed_items))
    return form_context(person.organisation, person, request.kind, consent=consent, electronic=True)


@transaction.atomic
def send_code(*, request: ConsentRequest, allowed_items: list[str] | None = None) -> None:
    """Freeze the text the person read and e-mail them a one-time code.

    Raises CodeRefused for a distribution consent without any category or after
    CONSENT_CODES_PER_LINK codes. Side effects: the request's text, code hash, expiry and
    attempts are reset; after commit one letter with the code goes to the person's e-mail.
    """
    request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
    request.person = Person.objects.select_related("organisation").get(pk=request.person_id)
    if request.codes_sent >= settings.CONSENT_CODES_PER_LINK:
        raise CodeRefused(
            "Коды по этой ссылке больше не отправляются: их запрошено слишком много. "
            "Обратитесь к куратору за новой ссылкой."
        )
    items = None
    if request.kind == ConsentKind.DISTRIBUTION:
        items = [i for i in (allowed_items or []) if i in DistributionItem.values]
        if not items:
            raise CodeRefused(
                "Отметьте хотя бы одну категорию данных, которую вы разрешаете публиковать."
            )
    code = new_code()
    request.text = form_text(form_html(live_context(request, items)))
    request.allowed_items = items or []
    request.code_hash = CODE_RULES.hash(code, request.pk)  # bound to this request
    request.code_expires_at = timezone.now() + datetime.timedelta(
        minutes=settings.CONSENT_CODE_MINUTES
    )
    request.code_attempts = 0
    request.codes_sent = F("codes_sent") + 1
    request.save(
        update_fields=["text", "allowed_items", "code_hash", "code_expires_at", "code_attempts",
                       "codes_sent"]
    )  # fmt: skip
    person = request.person
    body = (
        f"Здравствуйте, {person.first_name} {person.middle_name}!\n\n"
        f"Код подтверждения согласия «{request.get_kind_display()}»: {code}\n\n"
        f"Код действует {minutes_text(settings.CONSENT_CODE_MINUTES)} и только для этой ссылки. "
        "Никому его не сообщайте. Если вы не запрашивали код, просто не вводите его."
    )
    message = EmailMessage(
        f"Код подтверждения: {code}", body, settings.DEFAULT_FROM_EMAIL, [person.email]
    )
    transaction.on_commit(message.send)


def confirm_code(*, request: ConsentRequest, code: str, ip: str | None, user_agent: str) -> Consent:
    """Check the code and record the consent in electronic form.

    Raises CodeRefused (a wrong code counts as an attempt) or ConsentRefused (a valid consent
    of the kind exists already). Side effects: a Consent with method «электронная», the signing
    moment, IP, browser, the frozen text and its SHA-256; the request is completed and its code
    erased, so it works once.
    """
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        problem, wrong = _code_problem(request, "".join(ch for ch in (code or "") if ch.isdigit()))
        if problem is None:
            return _record(request, ip=ip, user_agent=user_agent)
        if wrong:
            # The refusal is raised after this block commits: the attempt stays counted.
            ConsentRequest.objects.filter(pk=request.pk).update(
                code_attempts=F("code_attempts") + 1
            )
    raise CodeRefused(problem)


def _code_problem(request: ConsentRequest, code: str) -> tuple[str | None, bool]:
    """(why the code does not work or None, whether it was a wrong guess to count)."""
    if not request.code_hash or request.completed_at:
        return "Сначала запросите код: нажмите «Получить код на e-mail».", False
    return CODE_RULES.refusal(
        stored=request.code_hash, value=code, parts=(request.pk,),
        expires_at=request.code_expires_at, attempts=request.code_attempts,
        limit=settings.CONSENT_CODE_ATTEMPTS,
    )  # fmt: skip


def _record(request: ConsentRequest, *, ip: str | None, user_agent: str) -> Consent:
    person = Person.objects.get(pk=request.person_id)
    now = timezone.now()
    consent = give_consent(
        person=person,
        consent=Consent(
            kind=request.kind,
            purpose=DEFAULT_PURPOSE[request.kind],
            data_list=DEFAULT_DATA[request.kind],
            allowed_items=request.allowed_items,
            given_on=timezone.localdate(now),
            method=ConsentMethod.ELECTRONIC,
            signed_at=now,
            signed_ip=ip or None,
            signed_user_agent=(user_agent or "")[:500],
            agreed_text=request.text,
            agreed_text_sha256=text_digest(request.text),
        ),
        recorded_by=None,
    )
    request.completed_at = now
    request.consent = consent
    request.code_hash = ""
    request.save(update_fields=["completed_at", "consent", "code_hash"])
    return consent


# --- background e-mail of the personal links (`manage.py db_worker`) ------------------------
# As with survey invitations (apps/surveys/tasks.py): one letter a person over one connection,
# each delivered one stamped at once, a failed one keeps its error for the curator and is tried
# again later — nobody gets the same letter twice.

log = logging.getLogger(__name__)


def _letter(request: ConsentRequest) -> EmailMessage:
    person = request.person
    org = person.organisation
    body = (
        f"Здравствуйте, {person.first_name} {person.middle_name}!\n\n"
        f"{org.short_name} просит вас дать согласие «{request.get_kind_display()}» в "
        "электронной форме. По личной ссылке откроется полный текст согласия; прочитайте его "
        "и подтвердите кодом, который придёт на этот адрес:\n"
        f"{link_url(request)}\n\n"
        f"Ссылка действует до {request.expires_on:%d.%m.%Y}. Ссылка личная — не пересылайте её. "
        "Если вы не хотите давать согласие, просто не открывайте ссылку."
    )
    return EmailMessage(
        f"Согласие: {request.get_kind_display()}", body, settings.DEFAULT_FROM_EMAIL, [person.email]
    )


@task()
def send_consent_links(request_ids: list[int], attempt: int = 1) -> int:
    """E-mail the personal links of the requests not sent yet; return how many went."""
    pending = (
        ConsentRequest.objects.filter(
            pk__in=request_ids, sent_at__isnull=True, completed_at__isnull=True,
            revoked_at__isnull=True,
        )
        .exclude(person__email="")
        .select_related("person__organisation")
    )  # fmt: skip
    sent = failed = 0
    connection = get_connection()
    for request in pending:
        message = _letter(request)
        message.connection = connection
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            log.warning("consent link mail for request %s failed: %r", request.pk, error)
            reason = (
                "почтовый сервер отклонил адрес"
                if isinstance(error, smtplib.SMTPRecipientsRefused)
                else "почтовый сервер недоступен — письмо будет отправлено позже"
            )
            ConsentRequest.objects.filter(pk=request.pk).update(mail_error=reason)
            failed += 1
            continue
        ConsentRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now(), mail_error="")
        sent += 1
    if failed and attempt < settings.MAIL_MAX_ATTEMPTS and default_task_backend.supports_defer:
        delay = settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
        later = timezone.now() + datetime.timedelta(seconds=min(delay, 6 * 3600))
        send_consent_links.using(run_after=later).enqueue(request_ids, attempt + 1)
    return sent
