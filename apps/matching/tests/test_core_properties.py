"""Property tests of the pure matching core (Hypothesis): feasibility, pins, determinism,
and exactness against an exhaustive search and against an independent exact solver."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.matching.core.baseline import greedy, reference
from apps.matching.core.criteria import candidates, check_pair
from apps.matching.core.model import CRITERIA, Mentee, Mentor, Problem, ProblemError, Settings
from apps.matching.core.solver import solve, solve_graph

COMPS = ["ФГОС", "Оценивание", "Родители", "Дисциплина"]
SUBJECTS = ["Математика", "Физика", "История"]
SLOTS = ["До уроков", "После уроков", "Онлайн"]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def subset(options):
    return st.frozensets(st.sampled_from(options), max_size=len(options))


@st.composite
def problems(draw, max_mentees=7, max_mentors=5, with_pins=True):
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    schools = st.integers(1, 2)
    mentees = [
        Mentee(
            id=i + 1,
            name=f"Н{i + 1}",
            school=draw(schools),
            needs=draw(st.dictionaries(st.sampled_from(COMPS), st.integers(1, 5))),
            subjects=draw(subset(SUBJECTS)),
            availability=draw(subset(SLOTS)),
            experience_years=draw(st.none() | st.integers(0, 5)),
            consent=draw(st.integers(0, 9)) > 0,
            active=draw(st.integers(0, 9)) > 0,
        )
        for i in range(n)
    ]
    mentors = [
        Mentor(
            id=100 + j,
            name=f"М{j}",
            school=draw(schools),
            strengths=draw(st.dictionaries(st.sampled_from(COMPS), st.integers(1, 5))),
            subjects=draw(subset(SUBJECTS)),
            availability=draw(subset(SLOTS)),
            experience_years=draw(st.none() | st.integers(0, 30)),
            capacity=draw(st.integers(0, 3)),
            load=draw(st.integers(0, 1)),
            consent=draw(st.integers(0, 9)) > 0,
            active=draw(st.integers(0, 9)) > 0,
        )
        for j in range(m)
    ]
    weights = draw(st.fixed_dictionaries({k: st.integers(0, 10) for k in CRITERIA}))
    if not any(weights.values()):
        weights["coverage"] = 1
    pairs = [(a.id, b.id) for a in mentees for b in mentors]
    forbidden = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=3)))
    base = Settings(
        weights=weights,
        min_mentor_experience=draw(st.sampled_from([0, 3])),
        network=draw(st.booleans()),
        objective=draw(st.sampled_from(["count_then_score", "score_only"])),
        forbidden=forbidden,
    )
    pinned: frozenset = frozenset()
    if with_pins:
        # Only consistent pins here (bad ones are tested separately): feasible, one per mentee,
        # within each mentor's free places.
        free = {b.id: b.free for b in mentors}
        chosen = {}
        for a, b in draw(st.lists(st.sampled_from(pairs), max_size=3)):
            mentee = next(x for x in mentees if x.id == a)
            mentor = next(x for x in mentors if x.id == b)
            if a not in chosen and free[b] > 0 and not check_pair(mentee, mentor, base):
                chosen[a] = b
                free[b] -= 1
        pinned = frozenset(chosen.items())
    return Problem(mentees, mentors, Settings(**{**_fields(base), "pinned": pinned}))


def _fields(s: Settings) -> dict:
    return {k: getattr(s, k) for k in Settings.__slots__}


def solvable(problem: Problem) -> bool:
    try:
        solve(problem, max_alternatives=0)
    except ProblemError:
        return False
    return True


def value(problem: Problem, pairs) -> tuple[int, int]:
    scores, _ = candidates(problem)
    points = {(s.mentee_id, s.mentor_id): s.points for s in scores}
    total = sum(points[p] for p in pairs)
    if problem.settings.objective == "score_only":
        return (0, total)
    return (len(pairs), total)


def brute_force(problem: Problem) -> tuple[int, int]:
    """Exhaustive search over every assignment (memoised on the mentors' free places)."""
    scores, _ = candidates(problem)
    mentees = sorted(problem.mentees, key=lambda m: m.id)
    mentors = sorted(problem.mentors, key=lambda m: m.id)
    index = {m.id: j for j, m in enumerate(mentors)}
    pinned = dict(problem.settings.pinned)
    options = {m.id: [] for m in mentees}
    for s in scores:
        options[s.mentee_id].append((index[s.mentor_id], s.points))
    lexicographic = problem.settings.objective != "score_only"

    @cache
    def best(i: int, free: tuple[int, ...]) -> tuple[int, int]:
        if i == len(mentees):
            return (0, 0)
        mentee = mentees[i]
        results = []
        choices = options[mentee.id]
        if mentee.id in pinned:
            choices = [(j, p) for j, p in choices if mentors[j].id == pinned[mentee.id]]
        else:
            results.append(best(i + 1, free))  # stays unmatched
        for j, p in choices:
            if free[j] > 0:
                rest = best(i + 1, (*free[:j], free[j] - 1, *free[j + 1 :]))
                results.append((rest[0] + (1 if lexicographic else 0), rest[1] + p))
        return max(results) if results else (-(10**9), 0)

    return best(0, tuple(m.free for m in mentors))


@FAST
@given(problems())
def test_the_result_respects_every_rule(problem):
    if not solvable(problem):
        return
    result = solve(problem)
    mentees = {m.id: m for m in problem.mentees}
    mentors = {m.id: m for m in problem.mentors}
    used: dict[int, int] = {}
    for a in result.assignments:
        used[a.mentor_id] = used.get(a.mentor_id, 0) + 1
        broken = check_pair(mentees[a.mentee_id], mentors[a.mentor_id], problem.settings)
        assert [r for r in broken if r != "capacity" or not a.pinned] == []
        assert (a.mentee_id, a.mentor_id) not in problem.settings.forbidden
    for mentor_id, count in used.items():
        assert count <= mentors[mentor_id].free
    proposed = {(a.mentee_id, a.mentor_id) for a in result.assignments}
    assert problem.settings.pinned <= proposed
    assert len({a.mentee_id for a in result.assignments}) == len(result.assignments)
    assert {u.mentee_id for u in result.unmatched} | {a.mentee_id for a in result.assignments} == {
        m.id for m in problem.mentees
    }


@FAST
@given(problems())
def test_the_objective_equals_an_exhaustive_search(problem):
    if not solvable(problem):
        return
    result = solve(problem, max_alternatives=0)
    pairs = [(a.mentee_id, a.mentor_id) for a in result.assignments]
    assert value(problem, pairs) == brute_force(problem)


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_the_result_is_deterministic_and_ignores_input_order(problem, rnd):
    if not solvable(problem):
        return
    first = solve(problem)
    mentees, mentors = list(problem.mentees), list(problem.mentors)
    rnd.shuffle(mentees)
    rnd.shuffle(mentors)
    again = solve(Problem(mentees, mentors, problem.settings))
    assert [(a.mentee_id, a.mentor_id) for a in again.assignments] == [
        (a.mentee_id, a.mentor_id) for a in first.assignments
    ]
    assert again.unmatched == first.unmatched


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("lexicographic", [True, False])
def test_medium_graphs_match_the_independent_reference(seed, lexicographic):
    rng = np.random.default_rng(seed)
    n, m = 60, 30
    left = np.repeat(np.arange(n), 8)
    right = rng.integers(0, m, len(left))
    keys = np.unique(left * m + right)
    left, right = keys // m, keys % m
    points = rng.integers(0, 5000, len(left))
    capacity = rng.integers(0, 3, m)
    ours = solve_graph(n, capacity, left, right, points, lexicographic=lexicographic)
    theirs = reference(n, capacity, left, right, points, lexicographic=lexicographic)
    if lexicographic:
        assert (ours[0] >= 0).sum() == (theirs[0] >= 0).sum()
    assert ours[1] == theirs[1]
    worse = greedy(n, capacity, left, right, points)
    if lexicographic:
        assert ((worse[0] >= 0).sum(), worse[1]) <= ((ours[0] >= 0).sum(), ours[1])
    else:
        assert worse[1] <= ours[1]


def people(n_mentees=2, capacities=(1,)):
    mentees = [Mentee(i + 1, f"Наставляемая {i + 1}", 1, {"ФГОС": 5}) for i in range(n_mentees)]
    mentors = [
        Mentor(100 + j, f"Наставник {j}", 1, {"ФГОС": 5}, experience_years=10, capacity=c)
        for j, c in enumerate(capacities)
    ]
    return mentees, mentors


def messages(mentees, mentors, **kw) -> list[str]:
    with pytest.raises(ProblemError) as error:
        solve(Problem(mentees, mentors, Settings(**kw)))
    return error.value.messages


def test_no_mentors_and_no_mentees_are_explained():
    mentees, mentors = people()
    assert messages([], mentors) == ["Не выбран ни один наставляемый."]
    assert messages(mentees, []) == ["Не выбран ни один наставник."]


def test_all_capacities_zero_is_explained():
    mentees, mentors = people(capacities=(0, 0))
    assert messages(mentees, mentors) == [
        "У всех выбранных наставников нет свободных мест: Наставник 0, Наставник 1."
    ]


def test_zero_weights_are_explained():
    mentees, mentors = people()
    assert messages(mentees, mentors, weights=dict.fromkeys(CRITERIA, 0)) == [
        "Все веса критериев равны нулю — подбор не отличит хорошую пару от плохой. "
        "Задайте вес хотя бы одному критерию."
    ]


def test_contradictory_pins_name_the_people():
    mentees, mentors = people(n_mentees=2, capacities=(1, 1))
    assert messages(mentees, mentors, pinned=frozenset({(1, 100), (2, 100)})) == [
        "За наставником Наставник 0 закреплено наставляемых: 2 (Наставляемая 1, "
        "Наставляемая 2), а свободных мест: 1."
    ]
    assert messages(mentees, mentors, pinned=frozenset({(1, 100), (1, 101)})) == [
        "Наставляемая 1 закреплён(а) сразу за несколькими наставниками: Наставник 0, "
        "Наставник 1. Оставьте одного."
    ]


def test_a_pin_that_breaks_a_rule_is_named():
    mentees, mentors = people()
    assert messages(mentees, mentors, pinned=frozenset({(1, 100)}), min_mentor_experience=15) == [
        "Закреплённая пара Наставляемая 1 — Наставник 0 нарушает правила: "
        "у наставника стаж меньше требуемого."
    ]
    both = messages(mentees, mentors, pinned=frozenset({(1, 100)}), forbidden=frozenset({(1, 100)}))
    assert both == ["Пара Наставляемая 1 — Наставник 0 одновременно закреплена и запрещена."]


def test_unmatched_mentees_are_told_why():
    mentees, mentors = people(n_mentees=2, capacities=(1,))
    late = Mentor(200, "Молодой наставник", 1, {"ФГОС": 5}, experience_years=1, capacity=1)
    result = solve(Problem(mentees, [*mentors, late], Settings(min_mentor_experience=3)))
    assert len(result.assignments) == 1
    (loser,) = result.unmatched
    assert loser.reason == "capacity"
    assert (loser.alternative.mentor_id, loser.alternative.displaced) == (100, 1)
    assert loser.text.startswith(
        "Все подходящие наставники заняты в лучшем общем распределении. "
        "Лучший вариант — Наставник 0 (совпадение "
    )
    assert loser.text.endswith(
        "оставило бы без пары 1 другого наставляемого. "
        "Остальные не подходят: у 1 наставника стаж меньше требуемого."
    )
    alone = solve(Problem(mentees[:1], [late], Settings(min_mentor_experience=3)))
    assert alone.unmatched[0].reason == "no_feasible"
    assert alone.unmatched[0].text == (
        "Нет подходящего наставника: у 1 наставника стаж меньше требуемого."
    )


def test_greedy_is_beaten_on_a_classic_trap():
    # Greedy takes the single best pair and strands a mentee; the exact solver does not.
    capacity = np.array([1, 1])
    left, right, points = np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([10, 9, 8])
    exact = solve_graph(2, capacity, left, right, points)
    assert (exact[0].tolist(), exact[1]) == ([1, 0], 17)
    stranded = greedy(2, capacity, left, right, points)
    assert (stranded[0].tolist(), stranded[1]) == ([0, -1], 10)
