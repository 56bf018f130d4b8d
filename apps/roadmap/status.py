"""Whether each stage of the roadmap is done — derived from the school's data, never ticked.

The rules (docs/roadmap.md):
1. Подготовка условий — the order approving the Положение and the curator's appointment are
   signed (a scan is uploaded); the pairs order is signed for the units.
2. Банк наставляемых — a needs survey has closed (deadline passed) and the mentee bank of the
   year is not empty.
3. Банк наставников — a mentor questionnaire has closed and the mentor bank is not empty.
4. Отбор и обучение — mentors were chosen (a matching run was confirmed or units exist) and an
   установочная сессия was held (it ended and attendance was marked).
5. Работа пар и групп — units work («Действует», none left in «Проект»: the count is
   programs.queries.unit_status_counts, the same the units page shows), every mentee of the
   bank has an open unit or a support action, and every open unit has an approved ПНП.
6. Завершение программ — every unit of the year is completed or ended, and the final round
   table was held.
7. Информационная поддержка — the public page is open, news were published this year, every
   held event of the year has a published news item, and copies went to an official social page.
All figures for many schools come from a fixed number of grouped queries.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from apps.banks.models import BankKind, Profile, ProfileStatus
from apps.core import datagen
from apps.core.years import year_bounds
from apps.documents.models import DocKind, DocStatus, Document
from apps.events.models import EventKind, Participant
from apps.matching.models import MatchingRun, RunStatus
from apps.orgs.stages import STAGES
from apps.people.choices import ConsentKind
from apps.people.models import Consent
from apps.programs.models import (
    OPEN_STATUSES,
    MentoringUnit,
    SupportAction,
    UnitMember,
    UnitStatus,
)
from apps.programs.queries import unit_status_counts
from apps.surveys.models import Campaign, SurveyPurpose

DONE, PROGRESS, TODO = "done", "progress", "todo"
# Functions (facts, org_ids, start, end) that higher apps register to fill their part of Facts.
FACT_SOURCES: list[Callable] = []
LABELS = {DONE: "выполнен", PROGRESS: "в работе", TODO: "не начат"}
FACTS_SECONDS = 300


@dataclass
class Check:
    text: str
    ok: bool
    url: str = ""
    partial: bool = False  # started but not finished (e.g. an order prepared, not signed)


@dataclass
class StageState:
    number: int
    title: str
    status: str = TODO
    checks: list[Check] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def summary(self) -> str:
        """The stage and its checks in one line (the network table's tooltip)."""
        return f"{self.title}: " + "; ".join(c.text for c in self.checks)


def _status(checks: list[Check]) -> str:
    if checks and all(c.ok for c in checks):
        return DONE
    return PROGRESS if any(c.ok or c.partial for c in checks) else TODO


@dataclass
class Facts:
    """Everything the rules need about the schools, gathered in grouped queries."""

    signed: dict[int, set[str]]
    issued: dict[int, set[str]]
    closed_surveys: dict[int, set[str]]
    any_surveys: dict[int, set[str]]
    bank: dict[int, Counter]
    units: dict[int, Counter]
    confirmed_runs: set[int]
    unsupported: Counter
    unapproved: Counter
    held: dict[int, set[str]]
    public: set[int] = field(default_factory=set)
    posts: Counter = field(default_factory=Counter)
    held_events: dict[int, set[int]] = field(default_factory=dict)
    covered_events: dict[int, set[int]] = field(default_factory=dict)
    social: set[int] = field(default_factory=set)


def gather(org_ids: Sequence[int], year: str, today: datetime.date) -> Facts:
    """The facts of `org_ids` for `year`, cached under the data generation (apps/core/datagen:
    any write to school data makes a new key) for FACTS_SECONDS at most — what depends on the
    clock alone (an event that has just ended) shows within that time."""
    ids = sorted(set(org_ids))
    return datagen.cached(
        "roadmap:facts", (ids, year, today), lambda: _gather(ids, year, today), FACTS_SECONDS
    )


def _gather(org_ids: Sequence[int], year: str, today: datetime.date) -> Facts:
    start, end = year_bounds(year)
    signed: dict[int, set[str]] = defaultdict(set)
    issued: dict[int, set[str]] = defaultdict(set)
    for org_id, kind, status in (
        Document.objects.filter(organisation_id__in=org_ids, date__range=(start, end))
        .exclude(status=DocStatus.CANCELLED)
        .values_list("organisation_id", "kind", "status")
    ):
        issued[org_id].add(kind)
        if status == DocStatus.SIGNED:
            signed[org_id].add(kind)
    closed: dict[int, set[str]] = defaultdict(set)
    anyone: dict[int, set[str]] = defaultdict(set)
    for org_id, purpose, deadline in Campaign.objects.filter(
        organisation_id__in=org_ids, created_at__date__range=(start, end)
    ).values_list("organisation_id", "template__purpose", "deadline"):
        anyone[org_id].add(purpose)
        if deadline < today:
            closed[org_id].add(purpose)
    consenting = Consent.objects.valid(today).filter(kind=ConsentKind.PROCESSING)
    profiles = Profile.objects.filter(
        organisation_id__in=org_ids, year=year, person__in=consenting.values("person_id")
    ).exclude(status__in=(ProfileStatus.FINISHED, ProfileStatus.LEFT))
    bank: dict[int, Counter] = defaultdict(Counter)
    mentees_by_org: dict[int, set[int]] = defaultdict(set)
    for org_id, kind, person_id in profiles.values_list("organisation_id", "kind", "person_id"):
        bank[org_id][kind] += 1
        if kind == BankKind.MENTEE:
            mentees_by_org[org_id].add(person_id)
    units = unit_status_counts(org_ids, year=year)
    covered = set(
        UnitMember.objects.filter(is_open=True, unit__organisation_id__in=org_ids).values_list(
            "mentee_id", flat=True
        )
    ) | set(
        SupportAction.objects.filter(organisation_id__in=org_ids).values_list(
            "mentee_id", flat=True
        )
    )
    unsupported = Counter(
        {org: len(people - covered) for org, people in mentees_by_org.items() if people - covered}
    )
    unapproved = Counter(
        MentoringUnit.objects.filter(
            organisation_id__in=org_ids, year=year, status__in=OPEN_STATUSES
        )
        .exclude(programme__approved_on__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    confirmed = set(
        MatchingRun.objects.filter(
            organisation_id__in=org_ids, year=year, status=RunStatus.CONFIRMED
        ).values_list("organisation_id", flat=True)
    )
    held: dict[int, set[str]] = defaultdict(set)
    held_events: dict[int, set[int]] = defaultdict(set)
    for org_id, kind, event_id in (
        Participant.objects.filter(
            attended=True,
            event__organisation_id__in=org_ids,
            event__starts_at__date__range=(start, end),
            event__ends_at__lt=timezone.now(),
        )
        .values_list("event__organisation_id", "event__kind", "event_id")
        .distinct()
    ):
        held[org_id].add(kind)
        held_events[org_id].add(event_id)
    facts = Facts(
        signed, issued, closed, anyone, bank, units, confirmed, unsupported, unapproved, held
    )
    for source in FACT_SOURCES:  # stage 7 comes from publicity, which sits above roadmap
        source(facts, org_ids, start, end)
    facts.held_events = held_events
    return facts


def _doc(facts: Facts, org_id: int, kind: str, text: str, url: str) -> Check:
    if kind in facts.signed[org_id]:
        return Check(f"{text}: подписан", True, url)
    if kind in facts.issued[org_id]:
        return Check(f"{text}: подготовлен, ждёт подписи (загрузите скан)", False, url, True)
    return Check(f"{text}: не подготовлен", False, url)


def stages_for(org_id: int, facts: Facts, *, links: bool = True) -> list[StageState]:
    def url(name: str, *args) -> str:
        return reverse(name, args=[org_id, *args]) if links else ""

    bank = facts.bank[org_id]
    units = facts.units[org_id]
    open_units = sum(units[s] for s in OPEN_STATUSES)
    all_units = sum(units.values())
    checks: dict[int, list[Check]] = {
        1: [
            _doc(facts, org_id, DocKind.POLOZHENIE, "Приказ об утверждении Положения",
                 url("documents:create", "polozhenie")),
            _doc(facts, org_id, DocKind.CURATOR, "Приказ о назначении куратора",
                 url("documents:create", "curator")),
            _doc(facts, org_id, DocKind.PAIRS, "Приказ о закреплении пар",
                 url("documents:create", "pairs")),
        ],
        2: [
            Check("Опрос о профессиональных запросах завершён",
                  SurveyPurpose.MENTEE_NEEDS in facts.closed_surveys[org_id],
                  url("surveys:campaign-list")),
            Check(f"В банке наставляемых: {bank[BankKind.MENTEE]}", bank[BankKind.MENTEE] > 0,
                  url("banks:mentee-list")),
        ],
        3: [
            Check("Анкетирование наставников завершено",
                  SurveyPurpose.MENTOR_PROFILE in facts.closed_surveys[org_id],
                  url("surveys:campaign-list")),
            Check(f"В банке наставников: {bank[BankKind.MENTOR]}", bank[BankKind.MENTOR] > 0,
                  url("banks:mentor-list")),
        ],
        4: [
            Check("Наставники подобраны (подтверждён подбор или сформированы пары)",
                  org_id in facts.confirmed_runs or all_units > 0, url("matching:run-list")),
            Check("Установочная сессия наставников проведена",
                  EventKind.SESSION in facts.held[org_id], url("events:create")),
        ],
        5: [
            Check(
                f"Пар и групп действует: {units[UnitStatus.ACTIVE]}"
                + (f"; в статусе «Проект»: {units[UnitStatus.DRAFT]} — запустите их или "
                   "загрузите скан подписанного приказа о закреплении"
                   if units[UnitStatus.DRAFT] else ""),
                units[UnitStatus.ACTIVE] > 0 and not units[UnitStatus.DRAFT],
                url("programs:unit-list"),
                partial=units[UnitStatus.ACTIVE] > 0,
            ),
            Check(
                "Все наставляемые в парах или получают поддержку"
                if not facts.unsupported[org_id]
                else f"Без пары и без поддержки: {facts.unsupported[org_id]}",
                bank[BankKind.MENTEE] > 0 and not facts.unsupported[org_id],
                url("matching:waitlist"),
            ),
            Check(
                "У всех пар и групп ПНП утверждена"
                if not facts.unapproved[org_id]
                else f"ПНП не утверждена: {facts.unapproved[org_id]}",
                open_units > 0 and not facts.unapproved[org_id],
                url("programs:unit-list"),
            ),
        ],
        6: [
            Check(f"Завершено программ: {all_units - open_units} из {all_units}",
                  all_units > 0 and open_units == 0, url("programs:unit-list")),
            Check("Итоговый круглый стол проведён", EventKind.ROUND_TABLE in facts.held[org_id],
                  url("events:create")),
        ],
        7: _publicity_checks(facts, org_id, url),
    }  # fmt: skip
    return [
        StageState(s.number, s.title, _status(checks[s.number]), checks[s.number]) for s in STAGES
    ]


def _publicity_checks(facts: Facts, org_id: int, url) -> list[Check]:
    held = facts.held_events.get(org_id, set())
    uncovered = len(held - facts.covered_events.get(org_id, set()))
    posts = facts.posts[org_id]
    return [
        Check("Публичная страница «Наставничество» открыта", org_id in facts.public,
              url("publicity:settings")),
        Check(f"Новостей опубликовано за год: {posts}", posts > 0, url("publicity:news")),
        Check(
            "О каждом проведённом мероприятии есть новость"
            if not uncovered
            else f"Мероприятий без новости: {uncovered}",
            bool(held) and not uncovered,
            url("publicity:news"),
        ),
        Check("Новости уходят в официальные сообщества (ВКонтакте, Одноклассники, Telegram)",
              org_id in facts.social, url("publicity:settings")),
    ]  # fmt: skip


def school_stages(org, year: str) -> list[StageState]:
    today = timezone.localdate()
    return stages_for(org.pk, gather([org.pk], year, today))
