"""What each role should do next, read from the live data for the home page.

Every function answers one role with a fixed number of queries (no per-row lookups), so the
home page costs the same for one pair or a hundred. Nothing here writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from apps.core import datagen
from apps.core.declension import person_in
from apps.core.plural import count, plural
from apps.core.text import lower_first
from apps.core.years import academic_year, year_bounds
from apps.documents.models import DocKind, DocStatus, Document
from apps.events.models import Participant
from apps.matching.models import MentorRequest, RequestStatus
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind
from apps.people.models import Consent, Person
from apps.programs.models import OPEN_STATUSES, PENDING, MentoringUnit, Task, UnitMember
from apps.roadmap.models import RoadmapItem
from apps.roadmap.status import DONE, gather, stages_for
from apps.surveys.models import Invitation


@dataclass(frozen=True)
class Step:
    """One sentence with the page where it is done."""

    text: str
    url: str = ""
    urgent: bool = False


@dataclass
class StageLine:
    number: int
    title: str
    status: str
    label: str
    step: Step | None  # the first thing still to do in the stage


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    stages: list[StageLine] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


# What to do about each check of roadmap.status, in its order («Опрос … завершён» is the state
# the stage needs; the curator needs the action). A stage whose checks change falls back to the
# check's own text.
ACTIONS = {
    1: ("Подготовьте и подпишите приказ об утверждении Положения",
        "Подготовьте и подпишите приказ о назначении куратора",
        "Сформируйте и подпишите приказ о закреплении пар и групп"),
    2: ("Проведите опрос о профессиональных запросах педагогов",
        "Пополните банк наставляемых"),
    3: ("Проведите анкетирование потенциальных наставников", "Пополните банк наставников"),
    4: ("Подберите наставников и подтвердите подбор",
        "Проведите установочную сессию и отметьте присутствие"),
    5: ("Сформируйте пары и группы", "Найдите пару или поддержку наставляемым без пары",
        "Утвердите ПНП действующих пар и групп"),
    6: ("Завершите программы пар и групп", "Проведите итоговый круглый стол"),
    7: ("Откройте публичную страницу «Наставничество»", "Опубликуйте новости года",
        "Опубликуйте новость о каждом проведённом мероприятии",
        "Подключите официальные сообщества школы"),
}  # fmt: skip


def _action(stage: int, index: int, checks: int, text: str) -> str:
    actions = ACTIONS.get(stage, ())
    if len(actions) != checks:
        return text
    # A check that counts something says how much is left: keep the figure.
    return (
        f"{actions[index]} ({lower_first(text)})"
        if any(c.isdigit() for c in text)
        else (actions[index])
    )


def _url(name: str, *args, query: str = "") -> str:
    return reverse(name, args=args) + (f"?{query}" if query else "")


def curator_plan(org: Organisation, today: datetime.date) -> Plan:
    """Stage statuses with the next action of each, then what blocks or is late — derived from
    the school's data alone, so kept under the data generation (apps/core/datagen)."""
    return datagen.cached("overview:curator", (org.pk, today), lambda: _curator_plan(org, today))


def _curator_plan(org: Organisation, today: datetime.date) -> Plan:
    year = academic_year(today)
    plan = Plan()
    for state in stages_for(org.pk, gather([org.pk], year, today)):
        step = None
        if state.status != DONE:
            index, todo = next((i, c) for i, c in enumerate(state.checks) if not c.ok)
            step = Step(_action(state.number, index, len(state.checks), todo.text), todo.url)
        plan.stages.append(StageLine(state.number, state.title, state.status, state.label, step))

    units = MentoringUnit.objects.of(org).filter(year=year, status__in=OPEN_STATUSES)
    pairs_signed = Document.objects.of(org).filter(
        kind=DocKind.PAIRS, status=DocStatus.SIGNED, date__gte=year_bounds(year)[0]
    )
    valid = Consent.objects.valid(today)
    mentors = Person.objects.filter(
        Q(pk__in=units.values("mentor_id")) | Q(pk__in=units.values("co_mentor_id"))
    ).exclude(pk__in=valid.filter(kind=ConsentKind.DUTIES_MENTOR).values("person_id"))
    mentees = Person.objects.filter(
        pk__in=UnitMember.objects.filter(unit__in=units, is_open=True).values("mentee_id")
    ).exclude(pk__in=valid.filter(kind=ConsentKind.DUTIES_MENTEE).values("person_id"))
    if not pairs_signed.exists():
        missing_mentors, missing_mentees = mentors.count(), mentees.count()
        if missing_mentors:
            plan.steps.append(Step(
                f"{count(missing_mentors, 'наставник', 'наставника', 'наставников')} без "
                "согласия на доп. обязанности — приказ о закреплении не сформировать",
                _url("people:consent-overview", org.pk, query="missing=duties_mentor"), True,
            ))  # fmt: skip
        if missing_mentees:
            plan.steps.append(Step(
                f"{count(missing_mentees, 'наставляемый', 'наставляемых', 'наставляемых')} без "
                "согласия на участие в программе — приказ о закреплении не сформировать",
                _url("people:consent-overview", org.pk, query="missing=duties_mentee"), True,
            ))  # fmt: skip

    overdue = Task.objects.of(org).overdue(today).filter(programme__unit__status__in=OPEN_STATUSES)
    late_tasks = overdue.count()
    if late_tasks:
        plan.steps.append(Step(
            f"{count(late_tasks, 'задача', 'задачи', 'задач')} ПНП {_late(late_tasks)} — "
            "напомните наставникам", _url("programs:unit-list", org.pk), True,
        ))  # fmt: skip
    late_items = (
        RoadmapItem.objects.of(org).filter(year=year, done_on__isnull=True, end__lt=today).count()
    )
    if late_items:
        plan.steps.append(Step(
            f"Дорожная карта: {count(late_items, 'пункт', 'пункта', 'пунктов')} с прошедшим "
            "сроком без отметки о выполнении", _url("roadmap:roadmap", org.pk), True,
        ))  # fmt: skip
    waiting = MentorRequest.objects.of(org).filter(status=RequestStatus.ACCEPTED).count()
    if waiting:
        plan.steps.append(Step(
            f"{count(waiting, 'запрос', 'запроса', 'запросов')} наставнику ждут вашего решения "
            "(наставник согласен)", _url("matching:requests", org.pk),
        ))  # fmt: skip
    return plan


def _late(n: int) -> str:
    return plural(n, "просрочена", "просрочены", "просрочено")


def head_plan(org: Organisation) -> Plan:
    """Documents waiting for the head's signature (the first ten, oldest first)."""
    waiting = Document.objects.of(org).filter(status=DocStatus.SIGNING).order_by("date", "pk")
    documents = list(waiting[:10])
    plan = Plan(documents=documents)
    if documents:
        total = len(documents) if len(documents) < 10 else waiting.count()
        plan.steps.append(Step(
            f"{count(total, 'документ ждёт', 'документа ждут', 'документов ждут')} подписи",
            _url("documents:list", org.pk, query="status=signing"), True,
        ))  # fmt: skip
    return plan


def _pending_tasks(units):
    return (
        Task.objects.filter(programme__unit__in=units, status__in=PENDING)
        .annotate(due_on=Coalesce("new_deadline", "deadline"))
        .select_related("programme__unit")
        .order_by("due_on", "pk")
    )


def _common(plan: Plan, person: Person, now: datetime.datetime) -> None:
    event = (
        Participant.objects.filter(person=person, event__starts_at__gte=now)
        .select_related("event")
        .order_by("event__starts_at")
        .first()
    )
    if event:
        start = timezone.localtime(event.event.starts_at)
        plan.steps.append(Step(
            f"Ближайшее мероприятие: «{event.event.title}», {start:%d.%m.%Y в %H:%M}",
            _url("events:my"),
        ))  # fmt: skip
    surveys = Invitation.objects.filter(
        person=person, submitted_at__isnull=True, link_revoked_at__isnull=True,
        campaign__deadline__gte=now.date(),
    ).count()  # fmt: skip
    if surveys:
        plan.steps.append(Step(
            f"{count(surveys, 'анкета ждёт', 'анкеты ждут', 'анкет ждут')} ваших ответов",
            _url("surveys:my-surveys"),
        ))  # fmt: skip


def mentor_plan(person: Person, today: datetime.date) -> Plan:
    """The next meeting to record, the next and the overdue tasks of the mentor's units."""
    plan = Plan()
    units = MentoringUnit.objects.filter(
        Q(mentor=person) | Q(co_mentor=person), status__in=OPEN_STATUSES
    )
    members = Prefetch(
        "members", queryset=UnitMember.objects.filter(is_open=True).select_related("mentee")
    )
    rows = units.annotate(last=Max("meetings__date")).prefetch_related(members)
    for unit in rows.order_by("start_date", "pk"):
        mentees = [m.mentee for m in unit.members.all()]
        who = (
            "с " + ", ".join(person_in(m, "ins", short=True) for m in mentees)
            if len(mentees) <= 2
            else f"группы ({count(len(mentees), 'наставляемый', 'наставляемых', 'наставляемых')})"
        )
        since = f"последняя {unit.last:%d.%m.%Y}" if unit.last else "ещё не было"
        plan.steps.append(Step(
            f"Встречи {who}: {since} — запишите следующую в дневник",
            _url("programs:my-unit", unit.pk),
        ))  # fmt: skip
    tasks = _pending_tasks(units)
    overdue = tasks.filter(due_on__lt=today).count()
    if overdue:
        plan.steps.append(Step(
            f"{count(overdue, 'задача', 'задачи', 'задач')} ПНП {_late(overdue)}",
            _url("programs:my-units"), True,
        ))  # fmt: skip
    upcoming = tasks.filter(due_on__gte=today).first()
    if upcoming:
        plan.steps.append(Step(
            f"Следующая задача: «{upcoming.title}» до {upcoming.due_on:%d.%m.%Y}",
            _url("programs:my-unit", upcoming.programme.unit_id),
        ))  # fmt: skip
    asked = MentorRequest.objects.filter(mentor=person, status=RequestStatus.SENT).count()
    if asked:
        plan.steps.append(Step(
            f"{count(asked, 'наставляемый просит', 'наставляемых просят', 'наставляемых просят')}"
            " стать наставником — ответьте", _url("matching:my-requests"), True,
        ))  # fmt: skip
    _common(plan, person, timezone.now())
    return plan


def mentee_plan(person: Person, today: datetime.date) -> Plan:
    """The mentee's next task of the programme, what is late, events and surveys."""
    plan = Plan()
    units = MentoringUnit.objects.filter(
        members__mentee=person, members__is_open=True, status__in=OPEN_STATUSES
    )
    tasks = _pending_tasks(units).filter(Q(mentee__isnull=True) | Q(mentee=person))
    upcoming = tasks.filter(due_on__gte=today).first()
    if upcoming:
        plan.steps.append(Step(
            f"Следующая задача: «{upcoming.title}» до {upcoming.due_on:%d.%m.%Y}",
            _url("programs:my-unit", upcoming.programme.unit_id),
        ))  # fmt: skip
    overdue = tasks.filter(due_on__lt=today).count()
    if overdue:
        plan.steps.append(Step(
            f"{count(overdue, 'задача', 'задачи', 'задач')} ПНП {_late(overdue)} — обсудите "
            "с наставником новый срок", _url("programs:my-units"), True,
        ))  # fmt: skip
    _common(plan, person, timezone.now())
    return plan
