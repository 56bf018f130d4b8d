"""Bulk (numpy) scoring equals the pure-Python reference; explanations are true for the edit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from apps.matching.core import criteria, vector
from apps.matching.core.model import Mentee, Mentor, Problem, Settings
from apps.matching.core.solver import evaluate, solve
from apps.matching.core.vector import candidates, encode
from apps.matching.tests.test_core_properties import FAST, problems, solvable

FORMS = ["Очная", "Виртуальная", "Групповая"]
STAGES = ["НОО", "ООО", "СОО"]


def reference(problem: Problem):
    scores, excluded = criteria.candidates(problem)
    return {(s.mentee_id, s.mentor_id): (s.points, s.percent) for s in scores}, excluded


def vectorised(problem: Problem, **kw):
    enc = encode(problem.mentees, problem.mentors)
    found = candidates(enc, problem.settings, **kw)
    ids_a, ids_b = enc.mentee.ids, enc.mentor.ids
    percent = found.scorer.percent(found.points)
    pairs = {
        (int(ids_a[i]), int(ids_b[j])): (int(p), int(q))
        for i, j, p, q in zip(found.left, found.right, found.points, percent, strict=True)
    }
    excluded = {int(ids_a[i]): found.excluded_of(i) for i in range(len(ids_a))}
    return pairs, excluded, found


@st.composite
def rich_problems(draw):
    """The property strategy plus stages, forms and odd experience gaps."""
    problem = draw(problems(with_pins=False))

    def extra(person):
        kind = type(person)
        fields = {k: getattr(person, k) for k in kind.__slots__}
        fields["stages"] = draw(st.frozensets(st.sampled_from(STAGES)))
        fields["forms"] = draw(st.frozensets(st.sampled_from(FORMS)))
        fields["experience_years"] = draw(st.none() | st.integers(0, 40))
        return kind(**fields)

    return Problem(
        [extra(m) for m in problem.mentees],
        [extra(m) for m in problem.mentors],
        problem.settings,
    )


@FAST
@given(rich_problems())
def test_it_scores_every_pair_exactly_as_the_reference(problem):
    expected, expected_excluded = reference(problem)
    pairs, excluded, found = vectorised(problem)
    assert found.per_mentee is None
    assert pairs == expected
    assert excluded == expected_excluded


@FAST
@given(rich_problems(), st.integers(1, 3))
def test_it_keeps_each_sides_best_pairs_over_the_budget(problem, keep):
    expected, _ = reference(problem)
    saved = vector.MIN_PER_MENTEE
    vector.MIN_PER_MENTEE = keep
    try:
        pairs, _, trimmed = vectorised(problem, edge_budget=0)
    finally:
        vector.MIN_PER_MENTEE = saved
    assert all(pairs[k] == expected[k] for k in pairs)  # every kept pair is feasible, exact
    if not expected:
        return
    assert trimmed.per_mentee == keep

    def best(items):
        return {k for _, _, k in sorted(items)[:keep]}

    kept = set(pairs)
    for mentee in problem.mentees:
        own = [(-p, b, (a, b)) for (a, b), (p, _) in expected.items() if a == mentee.id]
        assert best(own) <= kept
    for mentor in problem.mentors:
        own = [(-p, a, (a, b)) for (a, b), (p, _) in expected.items() if b == mentor.id]
        assert best(own) <= kept


def _remaining(problem: Problem, pairs) -> dict[int, int]:
    free = {m.id: m.free for m in problem.mentors}
    for _, b in pairs:
        free[b] -= 1
    return free


def _feasible(problem: Problem, mentee_id: int) -> list[int]:
    mentee = next(m for m in problem.mentees if m.id == mentee_id)
    return [b.id for b in problem.mentors if not criteria.check_pair(mentee, b, problem.settings)]


def _check_truth(problem: Problem, result, pairs, *, edited: bool) -> None:
    remaining = _remaining(problem, pairs)
    for u in result.unmatched:
        feasible = _feasible(problem, u.mentee_id)
        open_ = [b for b in feasible if remaining[b] > 0]
        if u.reason == "no_feasible":
            assert feasible == []
        elif u.reason == "capacity":
            assert feasible, u.text
            assert open_ == [], u.text
            assert "заняты" in u.text
        elif u.reason in ("not_assigned", "no_points"):
            assert open_, u.text
            assert "вободн" in u.text
            assert "заняты" not in u.text
            if edited:
                assert u.text.startswith("Наставник не назначен куратором")
        if u.alternative is not None:
            assert u.alternative.mentor_id in feasible


@FAST
@given(problems(), st.data())
def test_it_explains_the_unmatched_truthfully_for_the_optimum_and_for_any_edit(problem, data):
    if not solvable(problem):
        return
    result = solve(problem)
    pairs = [(a.mentee_id, a.mentor_id) for a in result.assignments]
    _check_truth(problem, result, pairs, edited=False)
    if not pairs:
        return
    dropped = data.draw(st.sampled_from(pairs))
    edit = [p for p in pairs if p != dropped]
    _check_truth(problem, evaluate(problem, edit), edit, edited=True)


def test_it_says_the_curator_chose_no_mentor_when_places_are_free():
    """Issue 19.8: a mentee set to «— без наставника —» while the load table shows a free place."""
    mentee = Mentee(1, "Аннина А.А.", 1, {"ФГОС": 5})
    mentor = Mentor(100, "Сильная С.С.", 1, {"ФГОС": 5}, experience_years=10, capacity=2)
    problem = Problem([mentee], [mentor], Settings())
    assert solve(problem).matched == 1
    (u,) = evaluate(problem, []).unmatched
    assert u.reason == "not_assigned"
    assert u.text == (
        "Наставник не назначен куратором: свободное место есть у 1 наставника — "
        "Сильная С.С. (совпадение 73 %)."
    )
    assert "заняты" not in u.text
    assert "распределены" not in u.text


def test_it_names_a_move_that_frees_a_place():
    needs = {"ФГОС": 5}
    anna = Mentee(1, "Аннина", 1, needs, subjects=frozenset({"Физика"}))
    boris, vera = Mentee(2, "Борисов", 1, needs), Mentee(3, "Верина", 1, needs)
    best = Mentor(100, "Сильная", 1, needs, subjects=frozenset({"Физика"}), capacity=1)
    spare, new = Mentor(101, "Запасная", 1, needs), Mentor(102, "Новая", 1, needs)
    settings = Settings(forbidden=frozenset({(1, 102)}))
    problem = Problem([anna, boris, vera], [best, spare, new], settings)
    # Новая is free but forbidden for Аннина: her feasible mentors are all taken.
    (u,) = evaluate(problem, [(2, 100), (3, 101)]).unmatched
    assert u.reason == "capacity"
    assert u.text.startswith(
        "Все подходящие наставники заняты в текущем распределении. Лучший вариант — Сильная"
    )
    assert "его места заняты: Борисов." in u.text
    assert "Место освободится, если Борисов перейдёт к другому наставнику со свободным " in u.text
    assert "— Новая (совпадение" in u.text
    # Without the ban Новая is free for Аннина herself: the curator chose no mentor.
    problem = Problem([anna, boris, vera], [best, spare, new], Settings())
    (u,) = evaluate(problem, [(2, 100), (3, 101)]).unmatched
    assert u.reason == "not_assigned"


def test_it_is_deterministic_on_a_large_random_problem():
    from bench.data import problem as big

    first = solve(big(300, 150, seed=3), detail=False)
    again = solve(big(300, 150, seed=3), detail=False)
    assert [(x.mentee_id, x.mentor_id) for x in first.assignments] == [
        (x.mentee_id, x.mentor_id) for x in again.assignments
    ]
    assert first.unmatched == again.unmatched
