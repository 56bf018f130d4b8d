"""Indicators of the mentoring system for a school, a municipality or a region and a year.

Every figure comes from grouped aggregate queries over the schools of the subtree — the number
of queries does not depend on the number of schools, people or units. A share with an empty
denominator is None («нет данных»), never 0 %.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from apps.banks.models import BankKind, Profile, ProfileStatus
from apps.core.years import year_bounds
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.models import Consent, Person
from apps.programs.models import (
    OPEN_STATUSES,
    Meeting,
    MentoringUnit,
    SupportAction,
    Task,
    TaskStatus,
    UnitMember,
    UnitStatus,
)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """One organisation's indicators (or the sum over a subtree)."""

    mentors: int = 0
    mentees: int = 0
    units: int = 0
    by_form: Counter = field(default_factory=Counter)
    completed: int = 0
    terminated: int = 0
    young: int = 0  # under 35 and less than 3 years of teaching
    young_covered: int = 0
    specialists: int = 0  # «молодой специалист» in the register
    specialists_covered: int = 0
    newcomers: int = 0  # up to one year in this school, not young specialists
    newcomers_covered: int = 0
    tasks_due: int = 0
    tasks_on_time: int = 0
    meetings: int = 0
    unpaired: int = 0
    waiting_days: int = 0  # sum over unpaired mentees
    retained_1: int = 0
    hired_1: int = 0
    retained_3: int = 0
    hired_3: int = 0
    max_load: int = 0

    def add(self, other: Figures) -> None:
        for name, value in vars(other).items():
            if name == "by_form":
                self.by_form.update(value)
            elif name == "max_load":
                self.max_load = max(self.max_load, value)
            else:
                setattr(self, name, getattr(self, name) + value)

    # Derived shares and rates (None = no data).
    @property
    def young_coverage(self):
        return share(self.young_covered, self.young)

    @property
    def specialists_coverage(self):
        return share(self.specialists_covered, self.specialists)

    @property
    def newcomers_coverage(self):
        return share(self.newcomers_covered, self.newcomers)

    @property
    def completed_share(self):
        return share(self.completed, self.units)

    @property
    def terminated_share(self):
        return share(self.terminated, self.units)

    @property
    def tasks_on_time_share(self):
        return share(self.tasks_on_time, self.tasks_due)

    @property
    def retention_1(self):
        return share(self.retained_1, self.hired_1)

    @property
    def retention_3(self):
        return share(self.retained_3, self.hired_3)

    @property
    def average_wait(self):
        return round(self.waiting_days / self.unpaired) if self.unpaired else None

    @property
    def average_load(self):
        return round(self.mentees / self.mentors, 1) if self.mentors else None

    def meetings_per_unit_month(self, months: int):
        return round(self.meetings / self.units / months, 1) if self.units and months else None


def _years_ago(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def compute(
    org_ids: Sequence[int], year: str, today: datetime.date, *, form: str = ""
) -> dict[int, Figures]:
    """Figures per school for `year` (optionally one form of mentoring), in a fixed number of
    grouped queries."""
    start, end = year_bounds(year)
    result: dict[int, Figures] = defaultdict(Figures)
    units = MentoringUnit.objects.filter(organisation_id__in=org_ids, year=year)
    if form:
        units = units.filter(format__name=form)
    for row in units.values("organisation_id", "status", "format__name").annotate(n=Count("pk")):
        figures = result[row["organisation_id"]]
        figures.units += row["n"]
        figures.by_form[row["format__name"]] += row["n"]
        if row["status"] == UnitStatus.COMPLETED:
            figures.completed += row["n"]
        elif row["status"] == UnitStatus.TERMINATED:
            figures.terminated += row["n"]
    members = UnitMember.objects.filter(unit__in=units)
    for row in members.values("unit__organisation_id").annotate(
        mentors=Count("mentor", distinct=True), mentees=Count("mentee", distinct=True)
    ):
        figures = result[row["unit__organisation_id"]]
        figures.mentors, figures.mentees = row["mentors"], row["mentees"]
    for row in (
        members.values("unit__organisation_id", "mentor_id")
        .annotate(n=Count("mentee", distinct=True))
        .values("unit__organisation_id", "n")
    ):
        figures = result[row["unit__organisation_id"]]
        figures.max_load = max(figures.max_load, row["n"])

    active = Person.objects.filter(organisation_id__in=org_ids, status=PersonStatus.ACTIVE)
    in_mentoring = members.values("mentee_id")
    young = active.filter(
        birth_date__gt=_years_ago(today, 35), teaching_experience__lt=3
    )  # the national target group: under 35, first three years
    for row in young.values("organisation_id").annotate(
        n=Count("pk"), covered=Count("pk", filter=Q(pk__in=in_mentoring))
    ):
        figures = result[row["organisation_id"]]
        figures.young, figures.young_covered = row["n"], row["covered"]
    for row in (
        active.filter(is_young_specialist=True)
        .values("organisation_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(pk__in=in_mentoring)))
    ):
        figures = result[row["organisation_id"]]
        figures.specialists, figures.specialists_covered = row["n"], row["covered"]

    for row in (
        active.filter(org_experience__lte=1, is_young_specialist=False)
        .values("organisation_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(pk__in=in_mentoring)))
    ):
        figures = result[row["organisation_id"]]
        figures.newcomers, figures.newcomers_covered = row["n"], row["covered"]

    tasks = Task.objects.filter(programme__unit__in=units, deadline__lte=min(today, end))
    for row in tasks.values("programme__unit__organisation_id").annotate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(status=TaskStatus.DONE, done_on__lte=F("deadline"))),
    ):
        figures = result[row["programme__unit__organisation_id"]]
        figures.tasks_due, figures.tasks_on_time = row["due"], row["on_time"]
    for row in (
        Meeting.objects.filter(unit__in=units, date__range=(start, end))
        .values("unit__organisation_id")
        .annotate(n=Count("pk"))
    ):
        result[row["unit__organisation_id"]].meetings = row["n"]

    consenting = Consent.objects.valid(today).filter(kind=ConsentKind.PROCESSING)
    open_mentees = UnitMember.objects.filter(is_open=True, unit__status__in=OPEN_STATUSES).values(
        "mentee_id"
    )
    supported = SupportAction.objects.values("mentee_id")
    waiting = (
        Profile.objects.filter(
            organisation_id__in=org_ids, year=year, kind=BankKind.MENTEE,
            person__in=consenting.values("person_id"),
        )
        .exclude(status__in=(ProfileStatus.FINISHED, ProfileStatus.LEFT))
        .exclude(person__in=open_mentees)
        .exclude(person__in=supported)
    )  # fmt: skip
    for org_id, created in waiting.values_list("organisation_id", "created_at"):
        figures = result[org_id]
        figures.unpaired += 1
        figures.waiting_days += max(0, (today - created.date()).days)

    specialists = Person.objects.filter(organisation_id__in=org_ids, is_young_specialist=True)
    for years, hired, kept in ((1, "hired_1", "retained_1"), (3, "hired_3", "retained_3")):
        cutoff = _years_ago(today, years)
        for row in (
            specialists.filter(hired_on__lte=cutoff)
            .values("organisation_id")
            .annotate(n=Count("pk"), kept=Count("pk", filter=~Q(status=PersonStatus.ARCHIVED)))
        ):
            figures = result[row["organisation_id"]]
            setattr(figures, hired, row["n"])
            setattr(figures, kept, row["kept"])
    return result


def total(per_school: dict[int, Figures]) -> Figures:
    overall = Figures()
    for figures in per_school.values():
        overall.add(figures)
    return overall


def months_elapsed(year: str, today: datetime.date) -> int:
    start, end = year_bounds(year)
    last = min(today, end)
    if last < start:
        return 0
    return (last.year - start.year) * 12 + last.month - start.month + 1


DEFINITIONS = [
    ("Наставников / наставляемых", "разные люди в парах и группах учебного года (любой статус)."),
    ("Охват молодых педагогов", "доля работающих педагогов моложе 35 лет со стажем меньше 3 лет, "
     "которые участвуют в паре или группе года (целевой показатель); источник — кадровый реестр."),
    ("Охват молодых специалистов", "то же для отмеченных в реестре «молодой специалист»."),
    ("Охват новых сотрудников", "то же для работающих в школе не больше года (стаж в ОО ≤ 1), "
     "кроме молодых специалистов."),
    ("Завершено / прекращено досрочно", "доля пар и групп года в статусе «Завершена» / "
     "«Прекращена досрочно»."),
    ("Задачи ПНП в срок", "выполненные не позже срока среди задач, срок которых наступил."),
    ("Встреч на пару в месяц", "записи дневника встреч ÷ число пар ÷ прошедшие месяцы года."),
    ("Без пары", "наставляемые банка года без действующей пары и без мер поддержки; ожидание — "
     "дней с попадания в банк."),
    ("Удержание молодых специалистов", "доля принятых не меньше 1 (3) лет назад молодых "
     "специалистов, которые не переведены в архив."),
    ("Нагрузка наставников", "наставляемых на одного наставника в среднем и наибольшая."),
]  # fmt: skip


def by_years(org_ids: Sequence[int]) -> list[dict]:
    """Mentors, mentees, units and the completed share for every academic year (one query)."""
    rows = (
        UnitMember.objects.filter(unit__organisation_id__in=org_ids)
        .values("unit__year")
        .annotate(
            mentors=Count("mentor", distinct=True),
            mentees=Count("mentee", distinct=True),
            units=Count("unit", distinct=True),
            completed=Count("unit", distinct=True, filter=Q(unit__status=UnitStatus.COMPLETED)),
        )
        .order_by("unit__year")
    )
    return [
        {
            "year": row["unit__year"],
            "mentors": row["mentors"],
            "mentees": row["mentees"],
            "units": row["units"],
            "completed_share": share(row["completed"], row["units"]),
        }
        for row in rows
    ]
