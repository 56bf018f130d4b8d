import datetime
from decimal import Decimal

import pytest

from apps.core.workdays import working_days
from apps.payroll.core import PayComputationError
from apps.payroll.models import PayRegister, PayRule
from apps.payroll.services import PayRuleError, compute_register, form_register, save_rule
from apps.payroll.tests.conftest import signed, unit_of
from apps.programs.models import MentoringUnit
from tests.factories import PersonFactory

D = datetime.date


def test_it_counts_december_2026_by_the_production_calendar():
    days = working_days(2026, 12)
    assert len(days) == 22  # 23 weekdays, 31 December is a day off (moved from 3 January)
    assert D(2026, 12, 31) not in days
    # 20 weekdays, 22 and 23 February off, Saturday 20 February a working day.
    assert len(working_days(2027, 2)) == 19


@pytest.mark.django_db
def test_it_prorates_a_month_with_one_replacement_as_computed_by_hand(school, december):
    # By hand, December 2026 has 22 working days; the rate is 5 000 ₽ a mentee a month.
    # Иванова led Петров 1–13.12: working days 1–4 and 7–11 = 9 → 5000 × 9 / 22 = 2045,45.
    # Сидорова leads him from 14.12: 22 − 9 = 13 days → 5000 × 13 / 22 = 2954,55.
    # Иванова led Орлова all month → 5000,00. Total: 2045,45 + 2954,55 + 5000,00 = 10 000,00.
    computed = compute_register(school, 2026, 12)
    rows = [
        (r["name"].split()[0], r["days"], r["amount"], r["start"], r["end"]) for r in computed.rows
    ]
    assert computed.norm == 22
    assert sorted(rows) == [
        ("Иванова", 9, "2045.45", "2026-12-01", "2026-12-11"),
        ("Иванова", 22, "5000.00", "2026-12-01", "2026-12-30"),
        ("Сидорова", 13, "2954.55", "2026-12-14", "2026-12-30"),
    ]
    sidorova = next(r for r in computed.rows if r["name"].startswith("Сидорова"))
    assert sidorova["personnel_number"] == "0000-00012"
    assert sidorova["basis"] == (
        "Приказ о замене наставника № 60-о от 09.12.2026; доп. соглашение № 9 от 10.12.2026"
    )
    assert computed.skipped == []


@pytest.mark.django_db
def test_it_prorates_an_early_end_and_skips_pairs_without_signed_papers(school, rule):
    mentor, other = PersonFactory(organisation=school), PersonFactory(organisation=school)
    ended = unit_of(
        school,
        mentor,
        [PersonFactory(organisation=school)],
        status="terminated",
        ended_on=D(2026, 12, 18),
    )
    signed(school, "pairs", [ended])
    signed(school, "agreement", [ended], person=mentor)
    unsigned = unit_of(school, other, [PersonFactory(organisation=school)])
    signed(school, "pairs", [unsigned])  # no agreement with this mentor
    computed = compute_register(school, 2026, 12)
    # 1–18 December: 4 + 5 + 5 = 14 working days → 5000 × 14 / 22 = 3181,82.
    assert [(r["days"], r["amount"]) for r in computed.rows] == [(14, "3181.82")]
    assert [(s["who"], s["reason"]) for s in computed.skipped] == [
        (
            other.full_name,
            "нет подписанного дополнительного соглашения о наставничестве (ст. 351.8 ТК РФ)",
        ),
    ]
    MentoringUnit.objects.filter(pk=unsigned.pk).delete()


@pytest.mark.django_db
def test_it_pays_a_mentee_led_twice_once(school, rule):
    mentor, mentee = PersonFactory(organisation=school), PersonFactory(organisation=school)
    first = unit_of(school, mentor, [mentee])
    second = unit_of(school, mentor, [])
    second.members.create(
        mentee=mentee, mentor=mentor, format=first.format, is_open=False, joined_on=D(2026, 9, 1)
    )
    signed(school, "pairs", [first, second])
    signed(school, "agreement", [first, second], person=mentor)
    computed = compute_register(school, 2026, 12)
    assert [r["amount"] for r in computed.rows] == ["5000.00"]
    assert "дважды" in computed.skipped[0]["reason"]


@pytest.mark.django_db
def test_it_caps_mentees_and_the_month(school):
    PayRule.objects.create(
        organisation=school,
        valid_from=D(2026, 9, 1),
        per_mentee=Decimal(3000),
        max_mentees=2,
        cap=Decimal(5000),
    )
    mentor = PersonFactory(organisation=school)
    unit = unit_of(school, mentor, [PersonFactory(organisation=school) for _ in range(3)])
    signed(school, "pairs", [unit])
    signed(school, "agreement", [unit], person=mentor)
    computed = compute_register(school, 2026, 12)
    # Two of three mentees are paid (6 000), cut to the cap of 5 000.
    assert [(r["mentees"], r["amount"], r["capped"]) for r in computed.rows] == [
        (2, "5000.00", True)
    ]
    assert "больше, чем оплачивает правило" in computed.skipped[0]["reason"]


@pytest.mark.django_db
def test_it_refuses_a_rule_overlapping_another_one(school, rule):
    twin = PayRule(valid_from=D(2026, 12, 1), per_mentee=Decimal(1000))
    with pytest.raises(PayRuleError) as error:
        save_rule(org=school, rule=twin, by=None)
    assert error.value.message == (
        "С 01.09.2026 без срока окончания уже действует правило оплаты: за общие дни наставник "
        "получил бы доплату дважды. Укажите в прежнем правиле дату окончания раньше начала "
        "нового или выберите другой период."
    )
    assert PayRule.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_negative_rule(school):
    with pytest.raises(PayRuleError) as error:
        save_rule(
            org=school, rule=PayRule(valid_from=D(2026, 9, 1), per_mentee=Decimal(-5)), by=None
        )
    assert error.value.message.startswith("Размер «за одного наставляемого» отрицательный (-5)")
    assert PayRule.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_mixing_sums_and_coefficients_in_one_month(school, december):
    PayRule.objects.filter(organisation=school).update(valid_to=D(2026, 12, 15))
    PayRule.objects.create(
        organisation=school,
        valid_from=D(2026, 12, 16),
        basis="coefficient",
        per_mentee=Decimal("0.1"),
    )
    with pytest.raises(PayComputationError):
        compute_register(school, 2026, 12)


@pytest.mark.django_db
def test_it_forms_one_register_a_month(school, december, curator):
    form_register(org=school, year=2026, month=12, by=curator)
    form_register(org=school, year=2026, month=12, by=curator)
    register = PayRegister.objects.get()
    assert sum(Decimal(r["amount"]) for r in register.rows) == Decimal("10000.00")
