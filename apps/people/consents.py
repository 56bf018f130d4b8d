"""Use cases of the 152-ФЗ consents ledger: record, withdraw, destroy data after withdrawal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import redact_person
from apps.core.plural import plural
from apps.people.choices import ConsentKind, DistributionItem
from apps.people.erasure import Erased, counted, delete_file_on_commit, person_data_destroyed
from apps.people.models import Consent, DestructionAct, ImportBatch, ImportStatus, Person
from apps.people.redaction import name_forms

DEFAULT_PURPOSE = {
    ConsentKind.PROCESSING: "Участие в системе наставничества педагогических работников: "
    "формирование банков наставников и наставляемых, подбор наставнических пар и групп, "
    "реализация и мониторинг персонализированных программ наставничества",
    ConsentKind.DISTRIBUTION: "Информационное сопровождение системы наставничества: публикация "
    "сведений о мероприятиях и результатах наставничества на официальном сайте "
    "образовательной организации и в её официальных группах в социальных сетях",
    ConsentKind.DUTIES_MENTOR: "Возложение дополнительных обязанностей наставника, связанных с "
    "наставнической деятельностью (ст. 351.8 Трудового кодекса РФ)",
    ConsentKind.DUTIES_MENTEE: "Участие в персонализированной программе наставничества в "
    "качестве наставляемого",
}
DEFAULT_DATA = {
    ConsentKind.PROCESSING: "фамилия, имя, отчество; дата рождения; должность; преподаваемые "
    "предметы; педагогический стаж и стаж в организации; квалификационная категория; "
    "образование; адрес электронной почты; номер телефона; профессиональные запросы и "
    "ответы на анкеты; сведения об участии в программах наставничества",
    ConsentKind.DISTRIBUTION: "фамилия, имя, отчество; должность; преподаваемые предметы; "
    "фотографии; сведения о профессиональных достижениях и участии в наставничестве",
    ConsentKind.DUTIES_MENTOR: "фамилия, имя, отчество; должность; сведения о наставляемых "
    "и программе наставничества",
    ConsentKind.DUTIES_MENTEE: "фамилия, имя, отчество; должность; сведения о программе "
    "наставничества",
}
# What an operator does with the data (ст. 3 152-ФЗ), printed on the processing form.
PROCESSING_ACTIONS = (
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
    "извлечение, использование, передача (предоставление, доступ), обезличивание, "
    "блокирование, удаление, уничтожение"
)
EXPIRING_DAYS = 30


class ConsentRefused(Exception):
    """The consent cannot be recorded; the message is for the user."""


@dataclass(frozen=True)
class ConsentState:
    """What the ledger says about one person and one kind of consent today."""

    status: str  # valid | expiring | withdrawn | expired | none
    consent: Consent | None = None

    @property
    def is_valid(self) -> bool:
        return self.status in ("valid", "expiring")


def consent_state(consents: list[Consent], kind: str, today: datetime.date) -> ConsentState:
    """State of `kind` from a person's consents (already loaded, newest first)."""
    own = [c for c in consents if c.kind == kind]
    for consent in own:
        if consent.is_valid(today):
            soon = today + datetime.timedelta(days=EXPIRING_DAYS)
            if consent.valid_until and consent.valid_until <= soon:
                return ConsentState("expiring", consent)
            return ConsentState("valid", consent)
    if not own:
        return ConsentState("none")
    latest = own[0]
    return ConsentState("withdrawn" if latest.withdrawn_at else "expired", latest)


@transaction.atomic
def give_consent(*, person: Person, consent: Consent, recorded_by) -> Consent:
    """Record a signed consent. Refuses a second valid consent of the same kind.

    Side effects: one Consent row (with its scan file, if any).
    """
    today = timezone.localdate()
    # Lock the person so two curators cannot record the same consent twice at once.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if person.anonymised_at:
        raise ConsentRefused("Данные сотрудника обезличены: новое согласие оформить нельзя.")
    current = Consent.objects.valid(today).filter(person=person, kind=consent.kind).first()
    if current:
        raise ConsentRefused(
            f"У сотрудника уже есть действующее согласие «{current.get_kind_display()}» от "
            f"{current.given_on:%d.%m.%Y}. Чтобы оформить новое, сначала отзовите прежнее."
        )
    if consent.kind != ConsentKind.DISTRIBUTION:
        consent.allowed_items = []
    consent.person = person
    consent.recorded_by = recorded_by
    consent.save()
    return consent


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, withdrawn_on: datetime.date | None = None, note: str = ""
) -> Consent:
    """Withdraw a consent; processing (or distribution) stops at once.

    Side effects: sets withdrawn_at. From that moment the person is out of every list built on
    `Person.objects.with_valid_consent(kind)` — banks, proposals, publications. For processing,
    `destroy_withdrawn_data` anonymises the person after CONSENT_DESTRUCTION_DAYS.
    """
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at:
        return consent
    moment = timezone.now()
    if withdrawn_on and withdrawn_on != timezone.localdate():
        moment = timezone.make_aware(datetime.datetime.combine(withdrawn_on, datetime.time(12)))
    consent.withdrawn_at = moment
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_at", "withdrawal_note"])
    return consent


KEPT_ITEMS = (
    "должность, квалификационная категория, пол — в обезличенном виде, для статистики "
    "наставничества",
    "записи о согласиях и их отзыве (без сканов) — доказательство получения согласия "
    "(ч. 3 ст. 9 Федерального закона № 152-ФЗ)",
    "записи журнала действий без значений и ФИО — учёт действий с персональными данными "
    "(ст. 18.1, 19 Федерального закона № 152-ФЗ)",
    "приказы, дополнительные соглашения и их сканы — архивные документы (Федеральный закон "
    "от 22.10.2004 № 125-ФЗ «Об архивном деле в Российской Федерации», ч. 7 ст. 5 и п. 2 "
    "ч. 1 ст. 6 Федерального закона № 152-ФЗ)",
)


def people_due_for_destruction(today: datetime.date) -> list[Person]:
    """People whose processing consent was withdrawn long enough ago, with no newer valid one."""
    deadline = today - datetime.timedelta(days=settings.CONSENT_DESTRUCTION_DAYS)
    withdrawn = (
        Consent.objects.filter(kind=ConsentKind.PROCESSING, withdrawn_at__isnull=False)
        .values("person_id")
        .annotate(last=Max("withdrawn_at"))
    )
    due = [row["person_id"] for row in withdrawn if timezone.localdate(row["last"]) <= deadline]
    still_valid = Consent.objects.valid(today).filter(kind=ConsentKind.PROCESSING)
    return list(
        Person.objects.filter(pk__in=due, anonymised_at__isnull=True)
        .exclude(pk__in=still_valid.values("person_id"))
        .select_related("organisation", "user")
    )


def destroy_withdrawn_data(*, today: datetime.date | None = None) -> list[DestructionAct]:
    """Destroy the data of everyone due (see people_due_for_destruction); one transaction each.

    Side effects, per person: `person_data_destroyed` is sent first, so every app destroys or
    anonymises what it holds (survey answers and links, bank profiles, names in programme and
    diary texts, …); then the Person row is rewritten, consent scan files deleted, rows of
    unconfirmed staff files dropped, the journal redacted, the linked account deactivated with
    its e-mail freed and roles removed; a numbered DestructionAct lists what was destroyed and
    what was kept on which legal basis.
    """
    today = today or timezone.localdate()
    return [_destroy_person(person, today) for person in people_due_for_destruction(today)]


@transaction.atomic
def _destroy_person(person: Person, today: datetime.date) -> DestructionAct:
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=person.pk)
    )
    consent = (
        person.consents.filter(kind=ConsentKind.PROCESSING, withdrawn_at__isnull=False)
        .order_by("-withdrawn_at")
        .first()
    )
    label = f"Сотрудник, реестровый №\u00a0{person.pk}"
    forms = name_forms(person.last_name, person.first_name, person.middle_name)
    old_name_key = person.name_key
    # Other apps first, while the person still has a name to find in their texts.
    answers = person_data_destroyed.send(sender=Person, person=person, forms=forms)
    erased = [answer for _, answer in answers if isinstance(answer, Erased)]

    destroyed = [
        "фамилия, имя, отчество (заменены обозначением «Обезличено (реестровый № "
        f"{person.pk})»), дата рождения, дата приёма, номер и дата трудового договора, адрес "
        "электронной почты, номер телефона, образование, преподаваемые предметы, "
        "педагогический стаж и стаж в организации, дата присвоения категории "
        "«педагог-наставник»"
    ]
    scans = 0
    for old in person.consents.exclude(scan=""):
        delete_file_on_commit(old.scan)
        Consent.objects.filter(pk=old.pk).update(scan="")
        scans += 1
    destroyed += counted("сканы согласий", scans)
    # An electronic consent's text names the person; its SHA-256 stays as the proof.
    destroyed += counted(
        "тексты электронных согласий (сохранён SHA-256 текста), IP-адреса и сведения о "
        "браузере при их подтверждении",
        person.consents.exclude(agreed_text="", signed_ip=None, signed_user_agent="").update(
            agreed_text="", signed_ip=None, signed_user_agent=""
        ),
    )
    destroyed += counted(
        "запросы электронных согласий с текстом и адресом ссылки",
        person.consent_requests.all().delete()[0],
    )
    # save() would rebuild name_key from the new name; keep it empty so nothing matches it.
    Person.objects.filter(pk=person.pk).update(
        last_name="Обезличено",
        first_name=f"(реестровый № {person.pk})",
        middle_name="",
        name_key="",
        birth_date=None,
        hired_on=None,
        contract_number="",
        contract_date=None,
        # With the position and the school, exact years of service or a date single a person
        # out: they go too, so what is kept no longer identifies anyone.
        teaching_experience=None,
        org_experience=None,
        mentor_title_since=None,
        email="",
        phone="",
        education="",
        anonymised_at=timezone.now(),
        updated_at=timezone.now(),
    )
    person.subjects.clear()
    redact_person(person)
    if person.user_id:
        user = person.user
        destroyed += counted(
            "журнал входов в систему: адрес электронной почты, сетевой адрес компьютера, "
            "сведения о браузере",
            _drop_login_log(user.email),
        )
        user.is_active = False
        user.email = f"anonymised-{user.pk}@invalid"
        user.full_name = ""
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.save()
        user.memberships.all().delete()
        destroyed.append("учётная запись в системе (отключена, адрес и имя удалены, роли сняты)")
    destroyed += counted(
        "строки с данными сотрудника в непринятых файлах загрузки кадров",
        _drop_import_rows(person, old_name_key),
    )
    previous = (
        DestructionAct.objects.of(person.organisation)
        .exclude(commission="")
        .order_by("-pk")
        .first()
    )
    return DestructionAct.objects.create(
        organisation=person.organisation,
        commission=previous.commission if previous else "",
        journal=journal_export(person),
        number=_next_act_number(person.organisation, today),
        person=person,
        subject_label=label,
        consent=consent,
        method="Удаление и обезличивание записей в базе данных, удаление файлов",
        destroyed_items="\n".join([*destroyed, *(line for e in erased for line in e.destroyed)]),
        kept_items="\n".join([*KEPT_ITEMS, *(line for e in erased for line in e.kept)]),
    )


def journal_export(person: Person) -> list[dict[str, str]]:
    """Приказ Роскомнадзора № 179 п. 6: the event log entries about the person — when, what was
    done, to which kind of record. Already redacted (redact_person): no values, no names; who
    acted is left out too, since the subject may have acted themself."""

    def kind_of(model: str) -> str:
        try:
            return str(apps.get_model(model)._meta.verbose_name)
        except (LookupError, ValueError):
            return "запись"

    def object_of(event: AuditEvent) -> str:
        number = f" №\u00a0{event.object_id}" if event.object_id else ""
        return f"{kind_of(event.model)}{number}"

    events = AuditEvent.objects.filter(person_id=person.pk).order_by("at", "pk")
    return [
        {
            "at": timezone.localtime(event.at).isoformat(),
            "action": event.get_action_display(),
            "object": object_of(event),
        }
        for event in events
    ]


@transaction.atomic
def confirm_commission(*, act: DestructionAct, commission: str) -> DestructionAct:
    """Record who destroyed the data (приказ № 179 п. 4 «г»): the chair first, then members.

    Side effects: saves the act's commission; the school's next acts start from this list.
    """
    act.commission = "\n".join(line.strip() for line in commission.splitlines() if line.strip())
    act.save(update_fields=["commission"])
    return act


def term_sentence(act: DestructionAct) -> str:
    """The act's statement on the term of ч. 5 ст. 21 152-ФЗ, true to the dates."""
    days = act.days_after_withdrawal
    if days is None or days <= 30:
        return "Данные уничтожены в срок, не превышающий 30 дней с даты поступления отзыва."
    return (
        f"Данные уничтожены через {days} {plural(days, 'день', 'дня', 'дней')} с даты поступления "
        "отзыва, позже срока в 30 дней, установленного ч. 5 ст. 21 Федерального закона № 152-ФЗ."
    )


def initials_first(full_name: str) -> str:
    """«Морозова Елена Викторовна» → «Е. В. Морозова» (non-breaking spaces): initials before
    the surname, as ГОСТ Р 7.0.97-2016 spells out a signature."""
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    return "\u00a0".join([*(f"{word[0]}." for word in words[1:3]), words[0]])


def _drop_login_log(email: str) -> int:
    """django-axes keeps logins and failed attempts under the e-mail that is being destroyed."""
    return sum(
        model.objects.filter(username__iexact=email).delete()[0]
        for model in (AccessLog, AccessAttempt, AccessFailureLog)
    )


def _drop_import_rows(person: Person, name_key: str) -> int:
    """A checked staff file waiting for confirmation still holds the person's row: drop it."""
    changed = 0
    pending = ImportBatch.objects.of(person.organisation).exclude(status=ImportStatus.APPLIED)
    for batch in pending.exclude(rows=[]):
        rows = [row for row in batch.rows if row.get("name_key") != name_key]
        if len(rows) != len(batch.rows):
            ImportBatch.objects.filter(pk=batch.pk).update(rows=rows)
            changed += len(batch.rows) - len(rows)
    return changed


def _next_act_number(organisation, today: datetime.date) -> str:
    prefix = f"У-{today.year}-"
    count = DestructionAct.objects.of(organisation).filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def distribution_table(consent: Consent | None) -> list[tuple[str, bool]]:
    """(category label, allowed?) for every category, for forms and the card."""
    allowed = set(consent.allowed_items) if consent else set()
    return [(str(label), code in allowed) for code, label in DistributionItem.choices]
