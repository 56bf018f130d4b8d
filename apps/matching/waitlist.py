"""Mentees in the bank who have no open unit: why, who could take them now, what support."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.banks.models import BankKind, ProfileStatus
from apps.banks.services import bank_queryset
from apps.core.years import academic_year
from apps.matching.services import waitlist_reasons
from apps.orgs.models import Organisation
from apps.people.models import Person
from apps.programs.models import SupportAction, UnitMember
from apps.programs.queries import school_program_settings


@dataclass
class WaitingMentee:
    person: Person
    reason: str
    matching: str = ""  # why the latest confirmed matching run left them without a mentor
    candidates: list[Person] = field(default_factory=list)
    support: list[SupportAction] = field(default_factory=list)


def waitlist(org: Organisation) -> list[WaitingMentee]:
    """Everyone in this year's mentee bank without an open unit, in a fixed number of queries."""
    year = academic_year()
    settings = school_program_settings(org)
    open_members = UnitMember.objects.filter(is_open=True, mentee__organisation=org)
    busy = set(open_members.values_list("mentee_id", flat=True))
    load: dict[int, int] = {}
    for mentor_id in open_members.values_list("mentor_id", flat=True):
        load[mentor_id] = load.get(mentor_id, 0) + 1
    mentees = [
        p
        for p in bank_queryset(org, BankKind.MENTEE, year)
        if p.person_id not in busy and p.status not in (ProfileStatus.FINISHED, ProfileStatus.LEFT)
    ]
    mentors = list(bank_queryset(org, BankKind.MENTOR, year))
    free = [
        m.person
        for m in mentors
        if m.status != ProfileStatus.LEFT
        and load.get(m.person_id, 0)
        < min(m.capacity or settings.max_mentees_per_mentor, settings.max_mentees_per_mentor)
        and (m.person.teaching_experience or 0) >= settings.min_mentor_experience
    ]
    support: dict[int, list[SupportAction]] = {}
    for action in (
        SupportAction.objects.of(org)
        .filter(mentee__in=[p.person for p in mentees])
        .select_related("responsible")
    ):
        support.setdefault(action.mentee_id, []).append(action)
    reasons = waitlist_reasons(org)
    result = []
    for profile in mentees:
        person = profile.person
        subjects = {s.pk for s in person.subjects.all()}
        same_subject = [m for m in free if subjects & {s.pk for s in m.subjects.all()}]
        if not free:
            reason = "Нет наставников со свободными местами: все заняты или банк наставников пуст."
        elif subjects and not same_subject:
            names = ", ".join(s.name for s in person.subjects.all())
            reason = (
                f"Нет свободного наставника по предмету ({names}); "
                "можно взять наставника другого профиля."
            )
        else:
            reason = "Пару можно сформировать: есть подходящие наставники."
        result.append(
            WaitingMentee(
                person=person,
                reason=reason,
                candidates=(same_subject or free)[:5],
                support=support.get(person.pk, []),
                matching=(
                    f"Подбор №{reasons[person.pk][0].pk} "
                    f"({reasons[person.pk][0].confirmed_at:%d.%m.%Y}): {reasons[person.pk][1]}"
                    if person.pk in reasons
                    else ""
                ),
            )
        )
    return result
