"""Use cases of matching: run a proposal, pin/forbid, swap by hand, confirm into units.

Views call these; every write is one transaction. The core (apps.matching.core) does the
optimisation and the explanations; this module feeds it from the banks and stores the runs.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from apps.core.years import academic_year
from apps.matching.core.model import DEFAULT_WEIGHTS, MAX_WEIGHT, Problem, ProblemError
from apps.matching.inputs import build_pool, problem_from, snapshot
from apps.matching.models import JobState, MatchingRun, MatchingSettings, RunScope, RunStatus
from apps.orgs.models import Organisation
from apps.people.models import Person
from apps.programs.models import FormatType, PairingType
from apps.programs.services import UnitRuleError, create_unit, ensure_dictionaries


class ConfirmError(Exception):
    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


def school_settings(org: Organisation) -> MatchingSettings:
    """The school's matching settings as stored, or the defaults unsaved (read by pages; the
    settings form's POST saves them)."""
    return MatchingSettings.objects.of(org).first() or MatchingSettings(organisation=org)


def default_weights(org: Organisation) -> dict[str, int]:
    stored = school_settings(org).weights or {}
    return {
        key: max(0, min(MAX_WEIGHT, int(stored.get(key, value))))
        for key, value in DEFAULT_WEIGHTS.items()
    }


# Above this many mentee × mentor pairs a run is computed by a background task (a school of
# 60 mentees and 40 mentors is computed inside the request, in ≈ 20 ms).
INLINE_PAIRS = 60 * 40


# --- runs ---------------------------------------------------------------------------------


@dataclass
class RunInput:
    mentee_ids: list[int]
    mentor_ids: list[int]
    weights: dict[str, int]
    min_mentor_experience: int
    objective: str
    pinned: list[list[int]]
    forbidden: list[list[int]]


def store_result(run: MatchingRun, data: dict) -> None:
    """Put a computed result on the run (not saved)."""
    run.result = data
    run.pairs = [[a["mentee"], a["mentor"]] for a in data["assignments"]]
    run.edited = False
    run.mentee_count = len(run.snapshot.get("mentees", []))
    run.mentor_count = len(run.snapshot.get("mentors", []))
    run.matched_count = data["matched"]


def is_large(problem: Problem) -> bool:
    return len(problem.mentees) * len(problem.mentors) > INLINE_PAIRS


def _solve_into(run: MatchingRun, problem: Problem) -> None:
    """Compute now (a school's size) or queue the background task (validated first, so bad
    input is answered at once). The caller saves the run."""
    # numpy and OR-Tools load on the first run, not with the URLconf (bench/memory.py).
    from apps.matching.core.solver import validate
    from apps.matching.pipeline import compute

    validate(problem)
    if is_large(problem):
        run.job, run.progress, run.job_error = JobState.QUEUED, 0, ""
        run.result = {}
        run.mentee_count = len(problem.mentees)
        run.mentor_count = len(problem.mentors)
        transaction.on_commit(lambda: solve_run.enqueue(run.pk))
        return
    store_result(run, compute(problem, keep_candidates=run.scope == RunScope.SCHOOL))
    run.job, run.progress, run.job_error = JobState.READY, 100, ""


@transaction.atomic
def start_run(
    *, org: Organisation, user, data: RunInput, scope: str = RunScope.SCHOOL, pool=None
) -> MatchingRun:
    """Solve a new proposal and store it. Raises ProblemError (Russian messages) on bad input."""
    year = academic_year()
    if pool is None:
        pool = build_pool([org.pk], year)
    chosen_mentees = set(data.mentee_ids)
    chosen_mentors = set(data.mentor_ids)
    mentees = [m for m in pool.mentees if m.id in chosen_mentees]
    mentors = [m for m in pool.mentors if m.id in chosen_mentors]
    options = {
        "weights": data.weights,
        "min_mentor_experience": data.min_mentor_experience,
        "objective": data.objective,
        "network": scope == RunScope.NETWORK,
    }
    run = MatchingRun(
        organisation=org,
        scope=scope,
        year=year,
        created_by=user,
        options=options,
        pinned=data.pinned,
        forbidden=data.forbidden,
        snapshot=snapshot(mentees, mentors),
    )
    _solve_into(run, problem_of(run))
    run.save()
    return run


def problem_of(run: MatchingRun) -> Problem:
    return problem_from(run.snapshot, run.options, run.pinned, run.forbidden)


def _toggle(pairs: list, pair: list[int], on: bool) -> list:
    kept = [p for p in pairs if list(p) != pair]
    return [*kept, pair] if on else kept


@transaction.atomic
def change_pins(run: MatchingRun, *, mentee: int, mentor: int, action: str) -> MatchingRun:
    """Pin, unpin, forbid or allow a pair on a draft run and re-solve it in place."""
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    _require_draft(run)
    pair = [mentee, mentor]
    pinned, forbidden = list(run.pinned), list(run.forbidden)
    if action in ("pin", "unpin"):
        pinned = _toggle(pinned, pair, action == "pin")
        if action == "pin":
            forbidden = _toggle(forbidden, pair, False)
    elif action in ("forbid", "allow"):
        forbidden = _toggle(forbidden, pair, action == "forbid")
        if action == "forbid":
            pinned = _toggle(pinned, pair, False)
    else:
        raise ProblemError(["Неизвестное действие с парой."])
    run.pinned, run.forbidden = pinned, forbidden
    _solve_into(run, problem_of(run))  # ProblemError rolls everything back
    run.save()
    return run


@transaction.atomic
def swap(run: MatchingRun, *, mentee: int, mentor: int | None) -> MatchingRun:
    """The curator gives a mentee another mentor (or none); scores are recomputed as is."""
    from apps.matching.pipeline import reevaluate  # numpy: on first use

    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    _require_draft(run)
    pairs = [list(p) for p in run.pairs if p[0] != mentee]
    if mentor is not None:
        pairs.append([mentee, mentor])
    problem = problem_of(run)
    data = reevaluate(problem, [tuple(p) for p in pairs])
    kept = {
        k: run.result[k]
        for k in ("optimal_points", "optimal_matched", "candidates", "per_mentee")
        if k in run.result
    }
    run.result = {**data, **kept}
    run.pairs = [[a["mentee"], a["mentor"]] for a in data["assignments"]]
    run.edited = True
    run.matched_count = data["matched"]
    run.save()
    return run


def _require_draft(run: MatchingRun) -> None:
    if run.status != RunStatus.DRAFT:
        raise ProblemError(["Подбор уже подтверждён — запустите новый, чтобы что-то изменить."])
    if run.job != JobState.READY:
        raise ProblemError(["Подбор ещё считается — дождитесь результата."])


@dataclass
class ConfirmInput:
    grouping: str  # "pairs" | "groups"
    pairing: PairingType
    format: FormatType  # for pairs, and for a mentor with one mentee when grouping
    group_format: FormatType | None
    start: datetime.date
    end: datetime.date


@transaction.atomic
def confirm(run: MatchingRun, *, user, data: ConfirmInput) -> list:
    """Turn the (edited) proposal into units through the programs service: all or nothing.

    Every pair is tried so the curator sees every broken rule at once; any error rolls the
    whole confirmation back. Mentees left without a mentor stay on the waitlist, which shows
    the reason from this run.
    """
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    _require_draft(run)
    org = run.organisation
    ensure_dictionaries(org=org)
    people = Person.objects.in_bulk({pid for pair in run.pairs for pid in pair})
    by_mentor: dict[int, list[int]] = defaultdict(list)
    for mentee, mentor in run.pairs:
        by_mentor[mentor].append(mentee)
    groups: list[tuple[int, list[int]]] = []
    for mentor, mentees in by_mentor.items():
        if data.grouping == "groups" and len(mentees) > 1:
            groups.append((mentor, mentees))
        else:
            groups.extend((mentor, [m]) for m in mentees)
    units, errors = [], []
    for mentor_id, mentee_ids in groups:
        if any(pid not in people for pid in [mentor_id, *mentee_ids]):
            errors.append("Кого-то из участников уже нет в реестре — запустите подбор заново.")
            continue
        fmt = data.group_format if len(mentee_ids) > 1 and data.group_format else data.format
        try:
            units.append(
                create_unit(
                    org=org,
                    mentor=people[mentor_id],
                    co_mentor=None,
                    mentees=[people[m] for m in mentee_ids],
                    pairing=data.pairing,
                    format=fmt,
                    start=data.start,
                    end=data.end,
                    created_by=user,
                )
            )
        except UnitRuleError as error:
            names = ", ".join(people[m].short_name for m in mentee_ids)
            errors.extend(f"{people[mentor_id].short_name} — {names}: {m}" for m in error.messages)
    if not run.pairs:
        errors.append("В предложении нет ни одной пары — подтверждать нечего.")
    if errors:
        raise ConfirmError(errors)
    run.status = RunStatus.CONFIRMED
    run.confirmed_at = timezone.now()
    run.confirmed_by = user
    run.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return units


def waitlist_reasons(org: Organisation) -> dict[int, tuple[MatchingRun, str]]:
    """Mentee id → (the latest confirmed run, why it left them without a mentor)."""
    run = (
        MatchingRun.objects.of(org)
        .filter(scope=RunScope.SCHOOL, status=RunStatus.CONFIRMED)
        .order_by("-confirmed_at", "-pk")
        .only("pk", "created_at", "confirmed_at", "result")
        .first()
    )
    if run is None:
        return {}
    return {u["mentee"]: (run, u["text"]) for u in run.result.get("unmatched", [])}


# --- the background computation of a run above a school's size (`manage.py db_worker`) ------
# The request stores the run with its inputs (job «queued») and enqueues `solve_run`; the worker
# claims it (one worker per run: a conditional UPDATE), reports progress in percent on the run,
# and stores the result. The run page polls the progress with HTMX.

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


@task()
def solve_run(run_id: int) -> None:
    claimed = MatchingRun.objects.filter(pk=run_id, job=JobState.QUEUED).update(
        job=JobState.RUNNING, progress=1
    )
    if not claimed:
        return  # another worker has it, or it is done
    run = MatchingRun.objects.get(pk=run_id)
    last = [0.0]

    def progress(share: float) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            value = max(1, min(99, round(share * 100)))
            MatchingRun.objects.filter(pk=run_id).update(progress=value)

    from apps.matching.pipeline import compute  # numpy and OR-Tools: on first use

    try:
        data = compute(
            problem_of(run), keep_candidates=run.scope == RunScope.SCHOOL, progress=progress
        )
    except ProblemError as error:
        MatchingRun.objects.filter(pk=run_id).update(
            job=JobState.FAILED, job_error=" ".join(error.messages)
        )
        return
    except Exception:
        log.exception("matching run %s failed", run_id)
        MatchingRun.objects.filter(pk=run_id).update(
            job=JobState.FAILED,
            job_error="Расчёт прервался из-за внутренней ошибки. Запустите подбор заново.",
        )
        raise
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(pk=run_id)
        store_result(run, data)
        run.job, run.progress, run.job_error = JobState.READY, 100, ""
        run.save()
