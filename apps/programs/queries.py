"""Read side of mentoring units: unit rows with their programme's progress, a programme's
progress, the school's settings as read (nothing here writes)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.banks.models import BankKind, Profile
from apps.orgs.models import Organisation
from apps.programs.models import (
    Meeting,
    MentoringUnit,
    Programme,
    ProgramSettings,
    Task,
    TaskStatus,
    UnitMember,
    overdue_q,
)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def programme_progress(tasks: Iterable[Task], today: datetime.date) -> Progress:
    """Done, total and overdue tasks of a loaded programme; marks each task's `overdue`."""
    tasks = list(tasks)
    for task in tasks:
        task.overdue = task.is_overdue(today)
    return Progress(
        done=sum(1 for t in tasks if t.status == TaskStatus.DONE),
        total=len(tasks),
        overdue=sum(1 for t in tasks if t.overdue),
    )


UNIT_COLUMNS = ("organisation_id", "year", "status", "start_date", "end_date")


def _names(relation: str) -> tuple[str, ...]:
    return tuple(f"{relation}__{f}" for f in ("last_name", "first_name", "middle_name"))


def unit_rows(org: Organisation, *, today: datetime.date, status: str = "") -> QuerySet:
    """The school's units, newest first, with tasks_total / tasks_done / tasks_overdue (the
    same rule as `programme_progress`) and last_meeting, in one query per page."""
    units = (
        org.mentoring_units.select_related("mentor", "co_mentor", "format", "pairing")
        # Only the columns the list shows: people's names (short_name) and the unit's own.
        .only(
            *UNIT_COLUMNS, *_names("mentor"), *_names("co_mentor"), "format__name", "pairing__name"
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=UnitMember.objects.select_related("mentee").only(
                    "unit_id", "mentee_id", "is_open", *_names("mentee")
                ),
            )
        )
        .order_by("-start_date", "-pk")
    )
    if status:
        units = units.filter(status=status)
    tasks = Task.objects.filter(programme__unit=OuterRef("pk")).order_by().values("programme")

    def counted(rows) -> Coalesce:
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

    # Correlated subqueries, not joins: tasks × meetings joined and grouped cost a scan of both
    # per school; a subquery runs for the rows of the page only.
    return units.annotate(
        tasks_total=counted(tasks),
        tasks_done=counted(tasks.filter(status=TaskStatus.DONE)),
        tasks_overdue=counted(tasks.filter(overdue_q(today))),
        last_meeting=Subquery(
            Meeting.objects.filter(unit=OuterRef("pk")).order_by("-date").values("date")[:1]
        ),
    )


def unit_status_counts(org_ids: Iterable[int], *, year: str = "") -> dict[int, Counter]:
    """Units per status for each organisation (optionally of one academic year), in one
    grouped query: the one count of «Проект» / «Действует» / … every page shows.

    «Действует» is `UnitStatus.ACTIVE` only; a unit in «Проект» is not yet working.
    """
    units = MentoringUnit.objects.filter(organisation_id__in=list(org_ids))
    if year:
        units = units.filter(year=year)
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in units.values("organisation_id", "status").annotate(n=Count("pk")):
        counts[row["organisation_id"]][row["status"]] = row["n"]
    return counts


def school_program_settings(org: Organisation) -> ProgramSettings:
    """The school's Положение limits as stored, or the defaults unsaved (a page reads them; a
    POST of the settings form saves them)."""
    return ProgramSettings.objects.of(org).first() or ProgramSettings(organisation=org)


def programme_of(unit: MentoringUnit) -> Programme:
    """The unit's ПНП, or an unsaved one with difficulties from the mentee bank (the first
    POST on the programme page saves it through programme.programme_for)."""
    programme = Programme.objects.filter(unit=unit).first()
    return programme or Programme(unit=unit, difficulties=difficulties_of(unit))


def difficulties_of(unit: MentoringUnit) -> str:
    """The mentees' strongest needs from this year's mentee bank, a line per mentee."""
    names = {str(c.pk): c.name for c in unit.organisation.competencies.all()}
    lines = []
    for member in unit.members.select_related("mentee"):
        profile = Profile.objects.filter(
            person=member.mentee, kind=BankKind.MENTEE, year=unit.year
        ).first()
        needs = (
            sorted((profile.competencies or {}).items(), key=lambda kv: -kv[1]) if profile else []
        )
        top = [f"{names[k]} ({v})" for k, v in needs if k in names and v >= 4][:5]
        if top:
            lines.append(f"{member.mentee.short_name}: {', '.join(top)}")
    return "\n".join(lines)
