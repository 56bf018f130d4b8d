"""Use cases of mentor pay: the school's pay rules and the month's register from signed orders.

What counts as signed is the document registry's status «Подписан» (a scan or an electronic
signature — the documents app decides); nothing else is read from the documents.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from apps.core.workdays import working_days
from apps.documents.models import DocKind, DocStatus, Document
from apps.orgs.models import Organisation
from apps.payroll import core
from apps.payroll.models import MONTHS, PayBasis, PayRegister, PayRule
from apps.people.models import Person
from apps.programs.models import MentoringUnit

ONE_DAY = datetime.timedelta(days=1)
NO_ORDER = "нет подписанного приказа о закреплении наставнической пары (группы)"
NO_REPLACEMENT_ORDER = "нет подписанного приказа о замене наставника"
NO_AGREEMENT = "нет подписанного дополнительного соглашения о наставничестве (ст. 351.8 ТК РФ)"


class PayRuleError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year} г."


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


# --- rules -----------------------------------------------------------------------------------


def _until(rule: PayRule) -> str:
    return f"по {rule.valid_to:%d.%m.%Y}" if rule.valid_to else "без срока окончания"


def rule_problems(org: Organisation, rule: PayRule) -> list[str]:
    """Why a rule would pay a negative amount, nothing, or twice for the same days."""
    problems = []
    amounts = (
        (rule.per_mentee, "за одного наставляемого"), (rule.per_group, "за группу"),
        (rule.cap, "предельный размер"),
    )  # fmt: skip
    for value, label in amounts:
        if value is not None and value < 0:
            problems.append(
                f"Размер «{label}» отрицательный ({value}): доплата не может быть меньше нуля."
            )
    if not rule.per_mentee and not rule.per_group:
        problems.append(
            "Правило не даёт доплаты: укажите размер за одного наставляемого или за группу."
        )
    if rule.cap is not None and rule.cap == 0:
        problems.append("Предельный размер 0 обнулил бы доплату: оставьте поле пустым или "
                        "укажите размер больше нуля.")  # fmt: skip
    if rule.valid_to and rule.valid_to < rule.valid_from:
        problems.append(
            f"Дата окончания {rule.valid_to:%d.%m.%Y} раньше даты начала "
            f"{rule.valid_from:%d.%m.%Y}."
        )
        return problems
    overlapping = PayRule.objects.of(org).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=rule.valid_from)
    )
    if rule.valid_to:
        overlapping = overlapping.filter(valid_from__lte=rule.valid_to)
    if rule.pk:
        overlapping = overlapping.exclude(pk=rule.pk)
    for other in overlapping.order_by("valid_from"):
        problems.append(
            f"С {other.valid_from:%d.%m.%Y} {_until(other)} уже действует правило оплаты: за "
            "общие дни наставник получил бы доплату дважды. Укажите в прежнем правиле дату "
            "окончания раньше начала нового или выберите другой период."
        )
    return problems


@transaction.atomic
def save_rule(*, org: Organisation, rule: PayRule, by) -> PayRule:
    """Save a pay rule of the school after checking it against the others.

    Side effects: a PayRule row (journal entry through the audit register).
    """
    # One writer at a time per school: two curators adding overlapping rules at once would each
    # pass the overlap check alone.
    Organisation.objects.select_for_update().filter(pk=org.pk).first()
    if problems := rule_problems(org, rule):
        raise PayRuleError(" ".join(problems))
    rule.organisation = org
    if rule.pk is None:
        rule.created_by = by
    rule.save()
    return rule


@transaction.atomic
def delete_rule(*, rule: PayRule) -> None:
    """Side effects: the rule is deleted; registers already formed keep their rows."""
    rule.delete()


# --- the month's register --------------------------------------------------------------------


@dataclass
class Computed:
    year: int
    month: int
    basis: str
    norm: int
    rows: list[dict]
    skipped: list[dict]


def _core_rule(rule: PayRule) -> core.Rule:
    return core.Rule(
        key=rule.pk, basis=rule.basis, per_mentee=rule.per_mentee, per_group=rule.per_group,
        max_mentees=rule.max_mentees, cap=rule.cap,
    )  # fmt: skip


def _doc_text(doc: dict | None, what: str) -> str:
    return f"{what} № {doc['number']} от {doc['date']:%d.%m.%Y}" if doc else ""


def _signed_documents(org: Organisation, unit_ids: list[int]) -> dict[int, dict[str, list]]:
    """Signed pairs orders, replacement orders and agreements naming each unit (one query)."""
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Document.objects.of(org)
        .filter(
            status=DocStatus.SIGNED, units__in=unit_ids,
            kind__in=(DocKind.PAIRS, DocKind.REPLACEMENT, DocKind.AGREEMENT),
        )
        .values("pk", "kind", "number", "date", "person_id", "units")
        .order_by("date", "pk")
    )  # fmt: skip
    for row in rows:
        found[row["units"]][row["kind"]].append(row)
    return found


def _segments(unit: MentoringUnit) -> list[tuple[int, datetime.date, datetime.date]]:
    """(mentor, first day, last day) of each mentor of the unit: a replacement releases the old
    mentor from the day of the change (the order says «с <дата> освободить»)."""
    end = min(unit.end_date, unit.ended_on) if unit.ended_on else unit.end_date
    changes = sorted(unit.mentor_changes.all(), key=lambda c: (c.changed_on, c.pk))
    if not changes:
        return [(unit.mentor_id, unit.start_date, end)]
    segments, start = [], unit.start_date
    for change in changes:
        segments.append((change.old_mentor_id, start, min(end, change.changed_on - ONE_DAY)))
        start = change.changed_on
    segments.append((changes[-1].new_mentor_id, start, end))
    return [s for s in segments if s[1] <= s[2]]


def compute_register(org: Organisation, year: int, month: int) -> Computed:
    """The month's register as it would be formed now (nothing is written)."""
    first, last = month_bounds(year, month)
    days = working_days(year, month)
    rules = list(
        PayRule.objects.of(org)
        .filter(valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("valid_from", "pk")
    )
    converted = [(r, _core_rule(r)) for r in rules]

    def rule_on(day: datetime.date) -> core.Rule | None:
        found = None
        for rule, value in converted:
            if rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to):
                found = value
        return found

    units = list(
        MentoringUnit.objects.of(org)
        .filter(start_date__lte=last, end_date__gte=first)
        .exclude(ended_on__lt=first)
        .select_related("format")
        .prefetch_related("members__mentee", "mentor_changes")
        .order_by("pk")
    )
    documents = _signed_documents(org, [u.pk for u in units])
    stints: list[core.Stint] = []
    skipped: list[dict] = []
    mentor_ids: set[int] = set()
    for unit in units:
        docs = documents.get(unit.pk, {})
        replacements = docs.get(DocKind.REPLACEMENT, [])
        members = list(unit.members.all())
        for index, (mentor, start, end) in enumerate(_segments(unit)):
            start, end = max(start, first), min(end, last)
            if start > end:
                continue
            mentor_ids.add(mentor)
            if index == 0:
                order = (docs.get(DocKind.PAIRS) or [None])[-1]
                order_text = _doc_text(order, "Приказ")
            else:
                order = replacements[index - 1] if index - 1 < len(replacements) else None
                order_text = _doc_text(order, "Приказ о замене наставника")
            agreements = [a for a in docs.get(DocKind.AGREEMENT, []) if a["person_id"] == mentor]
            agreement = agreements[-1] if agreements else None
            if order is None:
                reason = NO_ORDER if index == 0 else NO_REPLACEMENT_ORDER
                skipped.append({"mentor": mentor, "unit": unit.pk, "reason": reason})
                continue
            if agreement is None:
                skipped.append({"mentor": mentor, "unit": unit.pk, "reason": NO_AGREEMENT})
                continue
            basis = f"{order_text}; {_doc_text(agreement, 'доп. соглашение')}"
            is_group = unit.format.is_group or len(members) > 1
            for member in members:
                m_start = max(start, member.joined_on)
                m_end = min(end, member.left_on) if member.left_on else end
                if m_start <= m_end:
                    stints.append(core.Stint(mentor, unit.pk, member.mentee_id, m_start, m_end,
                                             basis, is_group))  # fmt: skip
    if not rules:
        register = core.Register(PayBasis.SUM, len(days), (), (), ())
    else:
        register = core.compute(workdays=days, stints=stints, rule_on=rule_on)
    people = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=mentor_ids | {m for pair in register.duplicates for m in pair}
        ).only("pk", "last_name", "first_name", "middle_name", "position", "personnel_number")
    }
    rows = [_row_dict(row, people[row.mentor], register) for row in register.rows if row.days]
    mentees = {u.pk: ", ".join(m.mentee.short_name for m in u.members.all()) for u in units}
    for item in skipped:
        item["who"] = people[item.pop("mentor")].full_name
        item["unit"] = mentees.get(item["unit"], "")
    for mentor, mentee in register.duplicates:
        skipped.append({"who": people[mentor].full_name, "unit": None, "reason": (
            f"наставляемый {people[mentee].full_name} закреплён за наставником дважды на одни "
            "и те же дни — доплата начислена один раз")})  # fmt: skip
    for mentor in register.over_limit:
        skipped.append({"who": people[mentor].full_name, "unit": None, "reason": (
            "наставляемых больше, чем оплачивает правило — доплата начислена за допустимое "
            "число")})  # fmt: skip
    return Computed(year, month, register.basis, register.norm, rows, skipped)


def _row_dict(row: core.Row, person: Person, register: core.Register) -> dict:
    return {
        "personnel_number": person.personnel_number,
        "name": person.full_name,
        "position": person.position,
        "basis": row.basis,
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "days": row.days,
        "norm": register.norm,
        "mentees": row.mentees,
        "rate": str(row.rate.normalize()),
        "amount": str(row.amount),
        "capped": row.capped,
    }


@transaction.atomic
def form_register(*, org: Organisation, year: int, month: int, by) -> PayRegister:
    """Form (or form again) the month's register: one register a month, so the payroll office
    never gets the same month twice.

    Side effects: the PayRegister row of the month is created or its rows replaced.
    """
    computed = compute_register(org, year, month)
    register, _created = PayRegister.objects.select_for_update().update_or_create(
        organisation=org, year=year, month=month,
        defaults={"basis": computed.basis, "norm": computed.norm, "rows": computed.rows,
                  "skipped": computed.skipped, "formed_by": by},
    )  # fmt: skip
    return register


def total(rows: list[dict]) -> Decimal:
    return sum((Decimal(r["amount"]) for r in rows), Decimal(0))
