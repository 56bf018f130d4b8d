"""The month's extra pay of mentors, day by day: pure, no Django (tested without a database).

Every working day of the month (the production calendar gives them) a mentor earns the rate in
force that day for each mentee they lead — or the group rate for a group — within the limits of
the rule (paid mentees per mentor, a monthly cap). A month's amount is the sum of the day rates
divided by the month's working days, so a replacement or an early end is prorated by working
days: 22 working days, 11 of them with the mentee → half the monthly rate.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SUM, COEFFICIENT = "sum", "coefficient"
KOPECK, COEFFICIENT_STEP = Decimal("0.01"), Decimal("0.0001")


class PayComputationError(Exception):
    """The rules cannot give a month's pay (a mix of bases, a negative rate); the message is
    for users."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Rule:
    key: int
    basis: str  # SUM: roubles a month; COEFFICIENT: a coefficient to the salary
    per_mentee: Decimal
    per_group: Decimal | None = None  # a group is paid this instead of per mentee
    max_mentees: int | None = None  # paid mentees of one mentor, at most
    cap: Decimal | None = None  # a mentor's month at most (in the basis' units)


@dataclass(frozen=True)
class Stint:
    """One mentee led by one mentor in one unit from `start` to `end` (inclusive), on the
    ground of `basis` (the signed order and agreement)."""

    mentor: int
    unit: int
    mentee: int
    start: datetime.date
    end: datetime.date
    basis: str
    is_group: bool = False


@dataclass
class Row:
    mentor: int
    unit: int
    basis: str
    start: datetime.date
    end: datetime.date
    days: int  # working days the mentor led the unit this month
    mentees: int  # mentees paid for
    rate: Decimal  # the monthly rate of the unit (per mentee × mentees, or the group rate)
    amount: Decimal = Decimal(0)
    capped: bool = False  # cut to the rule's cap
    day_rates: Decimal = Decimal(0)  # Σ of the day rates: amount = day_rates / norm


@dataclass(frozen=True)
class Register:
    basis: str
    norm: int  # working days in the month
    rows: tuple[Row, ...]
    duplicates: tuple[tuple[int, int], ...]  # (mentor, mentee) led twice on the same days
    over_limit: tuple[int, ...]  # mentors with more mentees than the rule pays for


def _check(rule: Rule) -> None:
    for value, what in ((rule.per_mentee, "за наставляемого"), (rule.per_group, "за группу"),
                        (rule.cap, "предельный размер")):  # fmt: skip
        if value is not None and value < 0:
            raise PayComputationError(
                f"Правило оплаты: размер {what} отрицательный ({value}) — доплата не может "
                "быть меньше нуля. Исправьте правило в «Доплаты наставникам → Правила оплаты»."
            )


def compute(
    *,
    workdays: Sequence[datetime.date],
    stints: Sequence[Stint],
    rule_on: Callable[[datetime.date], Rule | None],
) -> Register:
    """The register of the month whose working days are `workdays`.

    Duplicates are paid once: a mentee led by the same mentor in two units on the same day
    counts in the first unit only (by start, then unit), with a note.
    """
    norm = len(workdays)
    rows: dict[tuple[int, int, str], Row] = {}
    paid_on: dict[tuple[int, int, str], Counter] = defaultdict(Counter)  # day → mentees paid
    bases: set[str] = set()
    duplicates: set[tuple[int, int]] = set()
    over_limit: set[int] = set()
    ordered = sorted(stints, key=lambda s: (s.mentor, s.start, s.unit, s.mentee))
    for day in workdays:
        rule = rule_on(day)
        if rule is None:
            continue
        _check(rule)
        bases.add(rule.basis)
        by_mentor: dict[int, list[Stint]] = defaultdict(list)
        for stint in ordered:
            if stint.start <= day <= stint.end:
                by_mentor[stint.mentor].append(stint)
        for mentor, active in by_mentor.items():
            seen: set[int] = set()
            groups_paid: set[int] = set()
            paid = 0
            for stint in active:
                if stint.mentee in seen:
                    duplicates.add((mentor, stint.mentee))
                    continue
                seen.add(stint.mentee)
                key = (mentor, stint.unit, stint.basis)
                if stint.is_group and rule.per_group is not None:
                    if stint.unit in groups_paid:
                        paid_on[key][day] += 1
                        continue
                    groups_paid.add(stint.unit)
                    rate, day_rate = rule.per_group, rule.per_group
                elif rule.max_mentees is None or paid < rule.max_mentees:
                    paid += 1
                    rate, day_rate = None, rule.per_mentee
                else:
                    over_limit.add(mentor)
                    continue
                row = rows.get(key)
                if row is None:
                    row = rows[key] = Row(mentor, stint.unit, stint.basis, day, day, 0, 0,
                                          Decimal(0))  # fmt: skip
                row.end = day
                row.day_rates += day_rate
                paid_on[key][day] += 1
                row.rate = rate if rate is not None else rule.per_mentee * paid_on[key][day]
    if len(bases) > 1:
        raise PayComputationError(
            "В одном месяце действуют правила с разной основой (сумма и коэффициент): "
            "начислить одним реестром нельзя. Пусть новое правило начинается с первого числа "
            "месяца."
        )
    basis = bases.pop() if bases else SUM
    step = KOPECK if basis == SUM else COEFFICIENT_STEP
    for key, row in rows.items():
        row.days = len(paid_on[key])
        row.mentees = max(paid_on[key].values())
        row.amount = (row.day_rates / norm).quantize(step, ROUND_HALF_UP) if norm else Decimal(0)
    _apply_caps(rows.values(), rule_on, workdays, step)
    result = sorted(rows.values(), key=lambda r: (r.mentor, r.start, r.unit))
    return Register(
        basis, norm, tuple(result), tuple(sorted(duplicates)), tuple(sorted(over_limit))
    )


def _apply_caps(rows, rule_on, workdays, step) -> None:
    """A mentor's month above the cap in force on the month's last working day is cut from
    their last rows back."""
    rule = rule_on(workdays[-1]) if workdays else None
    if rule is None or rule.cap is None:
        return
    by_mentor: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_mentor[row.mentor].append(row)
    for mentor_rows in by_mentor.values():
        excess = sum(r.amount for r in mentor_rows) - rule.cap
        for row in sorted(mentor_rows, key=lambda r: (r.start, r.unit), reverse=True):
            if excess <= 0:
                break
            cut = min(excess, row.amount)
            row.amount = (row.amount - cut).quantize(step)
            excess -= cut
            row.capped = True
