"""Use cases of mentoring units. The matching issue will call `create_unit` too."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.banks.models import BankKind, Profile, ProfileStatus
from apps.core.plural import count
from apps.core.years import academic_year
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.models import Consent, Person
from apps.programs.models import (
    OPEN_STATUSES,
    PENDING,
    FormatType,
    MentorChange,
    MentoringUnit,
    PairingType,
    ProgramSettings,
    Task,
    UnitHistory,
    UnitMember,
    UnitStatus,
)
from apps.programs.queries import school_program_settings

PAIRINGS = [
    "Педагог – педагог",
    "Руководитель ОО – педагог",
    "Педагог вуза/колледжа – молодой педагог",
    "Работодатель – студент педагогического вуза/колледжа",
]
FORMATS = [
    ("Традиционное «один на один»", False),
    ("Групповое", True),
    ("Виртуальное (дистанционное)", False),
    ("Реверсивное", False),
    ("Ситуационное", False),
    ("Скоростное (флэш)", True),
    ("Краткосрочное (целеполагающее)", False),
]


class UnitRuleError(Exception):
    """The unit breaks a rule; `messages` are for the curator."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@transaction.atomic
def ensure_dictionaries(*, org: Organisation) -> ProgramSettings:
    """Default dictionaries of forms and the Положение limits for a school (idempotent).

    They are created together, so existing settings mean the dictionaries are there too.
    """
    existing = ProgramSettings.objects.filter(organisation=org).first()
    if existing is not None:
        return existing
    for order, name in enumerate(PAIRINGS, start=1):
        PairingType.objects.get_or_create(organisation=org, name=name, defaults={"order": order})
    for order, (name, is_group) in enumerate(FORMATS, start=1):
        FormatType.objects.get_or_create(
            organisation=org, name=name, defaults={"order": order, "is_group": is_group}
        )
    settings, _ = ProgramSettings.objects.get_or_create(organisation=org)
    return settings


@transaction.atomic
def add_dictionary_entry(*, org: Organisation, dictionary: str, name: str, is_group: bool) -> bool:
    """Add a pairing type (`dictionary` "pairing") or a form to the school's dictionary.

    Side effects: creates the entry unless one with that name exists; returns whether it did.
    """
    model = PairingType if dictionary == "pairing" else FormatType
    extra = {"is_group": is_group} if model is FormatType else {}
    _entry, created = model.objects.get_or_create(
        organisation=org, name=name.strip(), defaults={"order": 100, **extra}
    )
    return created


@dataclass
class RuleCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _valid(kind: str, people: Sequence[Person], today: datetime.date) -> set[int]:
    return set(
        Consent.objects.valid(today)
        .filter(kind=kind, person__in=people)
        .values_list("person_id", flat=True)
    )


def mentor_capacity(mentor: Person, settings: ProgramSettings, year: str) -> int:
    """The mentor's limit: what they said in the questionnaire, never above the Положение."""
    profile = Profile.objects.filter(person=mentor, kind=BankKind.MENTOR, year=year).first()
    wished = profile.capacity if profile and profile.capacity else settings.max_mentees_per_mentor
    return min(wished, settings.max_mentees_per_mentor)


def mentor_load(mentor: Person, *, exclude_unit: MentoringUnit | None = None) -> int:
    members = UnitMember.objects.filter(mentor=mentor, is_open=True)
    if exclude_unit is not None:
        members = members.exclude(unit=exclude_unit)
    return members.count()


def check_unit(
    *,
    org: Organisation,
    mentor: Person,
    co_mentor: Person | None,
    mentees: Sequence[Person],
    format: FormatType,
    start: datetime.date,
    end: datetime.date,
    unit: MentoringUnit | None = None,
    external_mentor: bool = False,
) -> RuleCheck:
    """Every rule of the Положение and the law for a unit, as errors (blocking) and warnings.

    `external_mentor`: the mentor works in another school (a network pair agreed by both
    schools' curators); the mentees still belong to `org`.
    """
    check = RuleCheck()
    settings = school_program_settings(org)
    today = timezone.localdate()
    everyone = [mentor, *([co_mentor] if co_mentor else []), *mentees]
    own = [p for p in everyone if not (external_mentor and p.pk == mentor.pk)]
    if any(p.organisation_id != org.pk for p in own):
        check.errors.append("Все участники должны быть сотрудниками этой школы.")
    if not mentees:
        check.errors.append("Выберите хотя бы одного наставляемого.")
    if len(mentees) > 1 and not format.is_group:
        check.errors.append(
            f"Форма «{format.name}» — для пары: выберите одного наставляемого или групповую форму."
        )
    leaders = {mentor.pk, co_mentor.pk if co_mentor else None}
    for mentee in mentees:
        if mentee.pk in leaders:
            check.errors.append(f"{mentee.full_name} не может быть наставником самому себе.")
    if co_mentor and co_mentor.pk == mentor.pk:
        check.errors.append("Второй наставник должен быть другим человеком.")
    for person in everyone:
        if person.status != PersonStatus.ACTIVE:
            check.errors.append(
                f"{person.full_name}: {person.get_status_display().lower()} — "
                "в наставничестве участвуют только работающие сотрудники."
            )
    with_consent = _valid(ConsentKind.PROCESSING, everyone, today)
    for person in everyone:
        if person.pk not in with_consent:
            check.errors.append(
                f"{person.full_name}: нет действующего согласия на обработку персональных данных."
            )
    for leader in [mentor, *([co_mentor] if co_mentor else [])]:
        experience = leader.teaching_experience
        if experience is None:
            check.warnings.append(f"{leader.full_name}: в реестре не указан педагогический стаж.")
        elif experience < settings.min_mentor_experience:
            check.errors.append(
                f"{leader.full_name}: стаж {count(experience, 'год', 'года', 'лет')} — по "
                f"Положению наставнику нужно не меньше {settings.min_mentor_experience}."
            )
    if start >= end:
        check.errors.append("Дата окончания должна быть позже даты начала.")
    else:
        months = (end.year - start.year) * 12 + end.month - start.month
        if not settings.min_months <= months <= settings.max_months:
            check.errors.append(
                f"Срок программы {months} мес. — по Положению от {settings.min_months} до "
                f"{settings.max_months} мес."
            )
    capacity = mentor_capacity(mentor, settings, academic_year(start))
    load = mentor_load(mentor, exclude_unit=unit)
    if load + len(mentees) > capacity:
        check.errors.append(
            f"{mentor.full_name}: уже наставляемых {load}, можно не больше {capacity} — "
            f"свободно мест: {max(0, capacity - load)}."
        )
    busy = UnitMember.objects.filter(mentee__in=mentees, format=format, is_open=True)
    if unit is not None:
        busy = busy.exclude(unit=unit)
    for member in busy.select_related("mentee"):
        check.errors.append(
            f"{member.mentee.full_name} уже в действующей паре/группе формы «{format.name}»."
        )
    duties_mentor = _valid(ConsentKind.DUTIES_MENTOR, [mentor], today)
    if mentor.pk not in duties_mentor:
        check.warnings.append(
            f"{mentor.full_name}: нет письменного согласия на дополнительные обязанности "
            "наставника (ст. 351.8 ТК РФ) — приказ о закреплении с этой парой не оформить."
        )
    duties_mentee = _valid(ConsentKind.DUTIES_MENTEE, mentees, today)
    for mentee in mentees:
        if mentee.pk not in duties_mentee:
            check.warnings.append(
                f"{mentee.full_name}: нет согласия наставляемого на участие в программе."
            )
    return check


@transaction.atomic
def create_unit(
    *,
    org: Organisation,
    mentor: Person,
    co_mentor: Person | None,
    mentees: Sequence[Person],
    pairing: PairingType,
    format: FormatType,
    start: datetime.date,
    end: datetime.date,
    created_by,
    external_mentor: bool = False,
) -> MentoringUnit:
    """Form a pair or a group. Raises UnitRuleError listing every broken rule.

    The mentor's row is locked first, so two curators forming units for one mentor at the
    same moment are serialised and capacity holds. Side effects: the unit, its members, and
    the bank profiles of everyone involved move to «в паре».
    """
    mentor = Person.objects.select_for_update().get(pk=mentor.pk)
    check = check_unit(
        org=org, mentor=mentor, co_mentor=co_mentor, mentees=mentees, format=format,
        start=start, end=end, external_mentor=external_mentor,
    )  # fmt: skip
    if check.errors:
        raise UnitRuleError(check.errors)
    unit = MentoringUnit.objects.create(
        organisation=org,
        year=academic_year(start),
        mentor=mentor,
        co_mentor=co_mentor,
        pairing=pairing,
        format=format,
        start_date=start,
        end_date=end,
        created_by=created_by,
    )
    try:
        with transaction.atomic():
            UnitMember.objects.bulk_create(
                [
                    UnitMember(unit=unit, mentee=m, mentor=mentor, format=format, joined_on=start)
                    for m in mentees
                ]
            )
    except IntegrityError:
        raise UnitRuleError(
            ["Кто-то из наставляемых уже в действующей паре/группе этой формы."]
        ) from None
    _set_bank_status(unit, ProfileStatus.PAIRED)
    log_unit(unit, "Сформирована (статус «Проект»).", by=created_by)
    return unit


def log_unit(unit: MentoringUnit, text: str, *, by=None) -> UnitHistory:
    """One line of the unit's visible history."""
    return UnitHistory.objects.create(unit=unit, text=text, by=by)


def _dates(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%d.%m.%Y} — {end:%d.%m.%Y}"


@transaction.atomic
def update_unit(
    *,
    unit: MentoringUnit,
    mentor: Person,
    co_mentor: Person | None,
    mentees: Sequence[Person],
    pairing: PairingType,
    format: FormatType,
    start: datetime.date,
    end: datetime.date,
    by,
) -> MentoringUnit:
    """Correct a unit still in «Проект»: dates, members, form and kind. Raises UnitRuleError.

    After launch a unit changes only through its acts (replace_mentor, end_unit). Side
    effects: members are replaced, bank profiles follow (left-out mentees and a mentor left
    without mentees return to «в банке»), a history line lists what changed.
    """
    unit = MentoringUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != UnitStatus.DRAFT:
        raise UnitRuleError(
            ["Исправлять можно только пару в статусе «Проект»; после запуска — замена "
             "наставника или досрочное прекращение."]
        )  # fmt: skip
    mentor = Person.objects.select_for_update().get(pk=mentor.pk)
    check = check_unit(
        org=unit.organisation, mentor=mentor, co_mentor=co_mentor, mentees=mentees,
        format=format, start=start, end=end, unit=unit,
    )  # fmt: skip
    if check.errors:
        raise UnitRuleError(check.errors)
    old_members = {m.mentee_id: m for m in unit.members.select_related("mentee")}
    new_ids = {m.pk for m in mentees}
    changes = []
    if unit.mentor_id != mentor.pk:
        changes.append(f"наставник: {unit.mentor.short_name} → {mentor.short_name}")
    if unit.co_mentor_id != (co_mentor.pk if co_mentor else None):
        old = unit.co_mentor.short_name if unit.co_mentor else "—"
        changes.append(f"второй наставник: {old} → {co_mentor.short_name if co_mentor else '—'}")
    if (unit.start_date, unit.end_date) != (start, end):
        changes.append(f"сроки: {_dates(unit.start_date, unit.end_date)} → {_dates(start, end)}")
    if unit.format_id != format.pk:
        changes.append(f"форма: {unit.format.name} → {format.name}")
    if unit.pairing_id != pairing.pk:
        changes.append(f"кто с кем: {unit.pairing.name} → {pairing.name}")
    removed = [m for pk, m in old_members.items() if pk not in new_ids]
    added = [p for p in mentees if p.pk not in old_members]
    if removed:
        changes.append("исключены: " + ", ".join(m.mentee.short_name for m in removed))
    if added:
        changes.append("добавлены: " + ", ".join(p.short_name for p in added))
    old_mentor = unit.mentor
    Profile.objects.filter(
        kind=BankKind.MENTEE, year=unit.year, person__in=[m.mentee for m in removed]
    ).update(status=ProfileStatus.IN_BANK)
    UnitMember.objects.filter(pk__in=[m.pk for m in removed]).delete()
    unit.mentor, unit.co_mentor, unit.pairing, unit.format = mentor, co_mentor, pairing, format
    unit.start_date, unit.end_date, unit.year = start, end, academic_year(start)
    unit.save()
    unit.members.update(mentor=mentor, format=format, joined_on=start)
    try:
        with transaction.atomic():
            UnitMember.objects.bulk_create(
                UnitMember(unit=unit, mentee=p, mentor=mentor, format=format, joined_on=start)
                for p in added
            )
    except IntegrityError:
        raise UnitRuleError(
            ["Кто-то из наставляемых уже в действующей паре/группе этой формы."]
        ) from None
    if old_mentor.pk != mentor.pk and mentor_load(old_mentor) == 0:
        Profile.objects.filter(kind=BankKind.MENTOR, year=unit.year, person=old_mentor).update(
            status=ProfileStatus.IN_BANK
        )
    _set_bank_status(unit, ProfileStatus.PAIRED)
    if changes:
        text = "Исправлено в проекте: " + "; ".join(changes)
        log_unit(unit, text if text.endswith(".") else text + ".", by=by)
    return unit


@transaction.atomic
def delete_unit(*, unit: MentoringUnit) -> None:
    """Delete a unit still in «Проект» (formed by mistake). Raises UnitRuleError.

    A unit named in an order that is not cancelled stays (cancel the order first), and so
    does one with feedback surveys (their answers would go with it). Side
    effects: the unit, its members, ПНП and diary are deleted; the mentees and a mentor left
    without mentees return to «в банке»; the audit journal keeps the deletion.
    """
    unit = MentoringUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != UnitStatus.DRAFT:
        raise UnitRuleError(
            ["Удалить можно только пару в статусе «Проект»; действующую — завершите или "
             "прекратите досрочно."]
        )  # fmt: skip
    # The documents app sits above programs: its orders are reached by the reverse relation.
    orders = unit.documents.exclude(status="cancelled")
    if orders.exists():
        numbers = ", ".join(f"№ {d.number}" for d in orders)
        raise UnitRuleError(
            [f"Пара включена в приказ ({numbers}): сначала отмените приказ, потом удалите пару."]
        )
    if unit.feedback_campaigns.exists():  # surveys' feedback of the unit would go with it
        raise UnitRuleError(
            ["По паре уже рассылались анкеты мониторинга: её не удалить — прекратите её "
             "досрочно с причиной «сформирована по ошибке»."]
        )  # fmt: skip
    mentees = list(unit.members.values_list("mentee_id", flat=True))
    mentor = unit.mentor
    unit.delete()
    Profile.objects.filter(kind=BankKind.MENTEE, year=unit.year, person__in=mentees).update(
        status=ProfileStatus.IN_BANK
    )
    if mentor_load(mentor) == 0:
        Profile.objects.filter(kind=BankKind.MENTOR, year=unit.year, person=mentor).update(
            status=ProfileStatus.IN_BANK
        )


def _set_bank_status(unit: MentoringUnit, status: str) -> None:
    mentees = unit.members.values("mentee_id")
    Profile.objects.filter(kind=BankKind.MENTEE, year=unit.year, person__in=mentees).update(
        status=status
    )
    if status == ProfileStatus.PAIRED or mentor_load(unit.mentor) == 0:
        Profile.objects.filter(kind=BankKind.MENTOR, year=unit.year, person=unit.mentor).update(
            status=status if status == ProfileStatus.PAIRED else ProfileStatus.IN_BANK
        )


@transaction.atomic
def activate_unit(*, unit: MentoringUnit, by=None, note: str = "") -> MentoringUnit:
    """Launch a unit in «Проект»: it is «Действует»; its term still starts on its start date.

    Side effects: the status and a history line ("note" says by what, e.g. the order).
    """
    unit = MentoringUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != UnitStatus.DRAFT:
        raise UnitRuleError(["Запустить можно только пару в статусе «Проект»."])
    unit.status = UnitStatus.ACTIVE
    unit.save(update_fields=["status", "updated_at"])
    log_unit(unit, f"Запущена{note}: статус «Действует» с "
                   f"{unit.start_date:%d.%m.%Y}.", by=by)  # fmt: skip
    return unit


def launch_units(*, units, by=None, note: str = "") -> int:
    """Launch every unit of `units` still in «Проект» (the bulk action and the signed pairs
    order, which documents.attach_scan calls). Returns how many were launched.

    Side effects: as activate_unit for each; units already launched or ended are skipped.
    """
    launched = 0
    with transaction.atomic():
        for unit in units:
            if unit.status == UnitStatus.DRAFT:
                activate_unit(unit=unit, by=by, note=note)
                launched += 1
    return launched


@transaction.atomic
def end_unit(
    *,
    unit: MentoringUnit,
    completed: bool,
    ended_on: datetime.date,
    ended_by: str = "",
    notice_date: datetime.date | None = None,
    reason: str = "",
    by=None,
) -> MentoringUnit:
    """Complete a unit or end it early (ТК РФ ст. 351.8: either side, 3 working days' notice).

    Side effects: members leave the unit; bank profiles become «завершил» or «выбыл»; a
    history line.
    """
    unit = MentoringUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status not in OPEN_STATUSES:
        raise UnitRuleError(["Пара уже завершена."])
    if not completed and not reason.strip():
        raise UnitRuleError(["Укажите причину досрочного прекращения."])
    open_tasks = Task.objects.filter(programme__unit=unit, status__in=PENDING).count()
    if completed and open_tasks and not reason.strip():
        raise UnitRuleError(
            [f"В программе остались невыполненные задачи ({open_tasks}): укажите в причине, "
             "почему программа всё же завершена."]
        )  # fmt: skip
    if ended_on < unit.start_date:
        raise UnitRuleError(["Дата окончания раньше начала программы."])
    unit.status = UnitStatus.COMPLETED if completed else UnitStatus.TERMINATED
    unit.ended_on = ended_on
    unit.ended_by = ended_by
    unit.notice_date = notice_date
    unit.end_reason = reason
    unit.save()
    unit.members.filter(is_open=True).update(is_open=False, left_on=ended_on)
    _set_bank_status(unit, ProfileStatus.FINISHED if completed else ProfileStatus.LEFT)
    text = f"{unit.get_status_display()} {ended_on:%d.%m.%Y}"
    if ended_by:
        text += f" по инициативе: {unit.get_ended_by_display().lower()}"
    log_unit(unit, text + (f". Причина: {reason}" if reason.strip() else "."), by=by)
    return unit


@transaction.atomic
def replace_mentor(*, unit: MentoringUnit, new_mentor: Person, reason: str, by) -> MentoringUnit:
    """Hand the unit to another mentor; programme, members and history stay."""
    unit = MentoringUnit.objects.select_for_update().get(pk=unit.pk)
    new_mentor = Person.objects.select_for_update().get(pk=new_mentor.pk)
    if not unit.is_open:
        raise UnitRuleError(["Наставника можно заменить только в действующей паре или проекте."])
    if new_mentor.pk == unit.mentor_id:
        raise UnitRuleError(["Это уже наставник этой пары."])
    if not reason.strip():
        raise UnitRuleError(["Укажите причину замены наставника."])
    mentees = [m.mentee for m in unit.members.filter(is_open=True).select_related("mentee")]
    check = check_unit(
        org=unit.organisation, mentor=new_mentor, co_mentor=unit.co_mentor, mentees=mentees,
        format=unit.format, start=unit.start_date, end=unit.end_date, unit=unit,
    )  # fmt: skip
    if check.errors:
        raise UnitRuleError(check.errors)
    old = unit.mentor
    MentorChange.objects.create(
        unit=unit,
        old_mentor=old,
        new_mentor=new_mentor,
        changed_on=timezone.localdate(),
        reason=reason,
        changed_by=by,
    )
    unit.mentor = new_mentor
    unit.save(update_fields=["mentor", "updated_at"])
    log_unit(unit, f"Замена наставника: {old.short_name} → {new_mentor.short_name}. "
                   f"Причина: {reason}", by=by)  # fmt: skip
    unit.members.filter(is_open=True).update(mentor=new_mentor)
    Profile.objects.filter(kind=BankKind.MENTOR, year=unit.year, person=new_mentor).update(
        status=ProfileStatus.PAIRED
    )
    if mentor_load(old) == 0:
        Profile.objects.filter(kind=BankKind.MENTOR, year=unit.year, person=old).update(
            status=ProfileStatus.IN_BANK
        )
    return unit
