"""Why a mentee is left without a mentor — true for the given pairs (optimal or edited).

No re-solves: one solve, then for each unmatched mentee the facts of that distribution.
- No mentor is feasible: each excluded candidate is counted under the rule that excluded it.
- A feasible mentor still has a free place: in the curator's edit — the curator chose no
  mentor; in a score-only optimum — every such pair adds no points; when each mentee kept
  only its best candidates — the free mentor was not among them.
- Every feasible mentor is full: the best one (by points, not filled by the curator's pins)
  is named with the mentees who hold its places, and whether one of them could move to
  another feasible mentor with a free place (the move that costs the least points) — or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from apps.matching.core.criteria import plural
from apps.matching.core.model import RULES, Alternative, PairScore, Unmatched
from apps.matching.core.vector import Encoded, Scorer, best_in_rows


def _plural(n: int, one: str, few: str, many: str) -> str:
    return plural(n, one, few, many)


def _points(value: int) -> str:
    return f"{value / 1000:.1f}".replace(".", ",")


MENTORS_GEN = ("наставника", "наставников", "наставников")  # «у 2 наставников …»
MENTORS_NOM = ("наставник", "наставника", "наставников")  # «2 наставника …»
# Rule key → (word forms, «у N …» or «N …», the rest of the phrase).
RULE_PHRASES = {
    "capacity": (MENTORS_GEN, True, "нет свободных мест"),
    "experience": (MENTORS_GEN, True, "стаж меньше требуемого"),
    "mentor_consent": (MENTORS_GEN, True, "нет согласия на обработку ПДн"),
    "other_school": (MENTORS_NOM, False, "из другой школы"),
    "mentor_inactive": (MENTORS_NOM, False, "в отпуске или в архиве"),
    "forbidden": (("пара запрещена", "пары запрещены", "пар запрещено"), False, "куратором"),
}


def rule_summary(excluded: dict[str, int]) -> str:
    """«у 3 наставников нет свободных мест, у 2 стаж меньше требуемого, 1 из другой школы»."""
    phrases = []
    for rule in RULES:
        count = excluded.get(rule, 0)
        if not count:
            continue
        if rule not in RULE_PHRASES:
            phrases.append(RULES[rule])
            continue
        forms, with_u, rest = RULE_PHRASES[rule]
        phrase = f"{count} {_plural(count, *forms)} {rest}"
        phrases.append(f"у {phrase}" if with_u else phrase)
    return ", ".join(phrases)


def _score(scorer: Scorer, i: int, j: int, points: int) -> PairScore:
    enc = scorer.enc
    percent = int(scorer.percent(np.array([points]))[0])
    return PairScore(int(enc.mentee.ids[i]), int(enc.mentor.ids[j]), points, percent, ())


def explain_unmatched(
    enc: Encoded,
    scorer: Scorer,
    pairs: Sequence[tuple[int, int]],
    pinned: frozenset[tuple[int, int]],
    excluded: dict[int, dict[str, int]],
    *,
    edited: bool,
    per_mentee: int | None = None,
    only: Sequence[int] | None = None,
) -> list[Unmatched]:
    """Explanations for the mentees without a pair in `pairs` (or for `only` of them)."""
    mi, ri = scorer.mentee_index, scorer.mentor_index
    names = {m.id: m.name for m in enc.mentors}
    held: dict[int, list[int]] = defaultdict(list)  # mentor index → mentee indices
    pinned_load: dict[int, int] = defaultdict(int)
    for a, b in pairs:
        held[ri[b]].append(mi[a])
    for _, b in pinned:
        if b in ri:
            pinned_load[ri[b]] += 1
    remaining = enc.free.copy()
    for j, members in held.items():
        remaining[j] -= len(members)
    matched = {a for a, _ in pairs}
    wanted = only if only is not None else [m.id for m in enc.mentees if m.id not in matched]
    order = sorted((mi[x] for x in wanted if x in mi), key=lambda i: (enc.mentees[i].name, i))
    if not order:
        return []
    if not enc.mentors:
        return [
            Unmatched(enc.mentees[i].id, "no_mentors", "Не выбран ни один наставник.")
            for i in order
        ]
    pair_of = {mi[a]: ri[b] for a, b in pairs}
    open_mask = remaining > 0
    usable_mask = np.ones(len(enc.mentors), dtype=bool)  # not filled by the curator's pins
    for j, count in pinned_load.items():
        if count >= enc.free[j]:
            usable_mask[j] = False
    everyone = np.ones(len(enc.mentors), dtype=bool)
    (any_ok, open_best, usable_best), _ = best_in_rows(
        scorer, np.array(order), [everyone, open_mask, usable_mask]
    )
    # The mentees holding the places of each unmatched mentee's best (full) mentor.
    holders_of: dict[int, list[int]] = {}
    for x in range(len(order)):
        j = int(usable_best.col[x])
        if any_ok.count[x] and not open_best.count[x] and j >= 0 and j not in holders_of:
            mentor_id = int(enc.mentor.ids[j])
            holders_of[j] = [
                k for k in held.get(j, []) if (int(enc.mentees[k].id), mentor_id) not in pinned
            ]
    holder_rows = sorted({k for ks in holders_of.values() for k in ks})
    move_of: dict[int, tuple[int, int, int]] = {}  # holder → (target or −1, its points, here)
    if holder_rows:
        (target,), here = best_in_rows(
            scorer,
            np.array(holder_rows),
            [open_mask],
            at=np.array([pair_of[k] for k in holder_rows]),
        )
        for x, k in enumerate(holder_rows):
            move_of[k] = (int(target.col[x]), int(target.points[x]), int(here[x]))
    where = "в текущем распределении" if edited else "в лучшем общем распределении"
    out = []
    for x, i in enumerate(order):
        mentee = enc.mentees[i]
        counts = dict(excluded.get(mentee.id, {}))
        if not any_ok.count[x]:
            text = (
                f"Нет подходящего наставника: {rule_summary(counts)}."
                if counts
                else "Нет подходящего наставника."
            )
            out.append(Unmatched(mentee.id, "no_feasible", text, excluded=counts))
            continue
        rest = f" Остальные не подходят: {rule_summary(counts)}." if counts else ""
        if open_best.count[x]:
            n = int(open_best.count[x])
            best = _score(scorer, i, int(open_best.col[x]), int(open_best.points[x]))
            who = f"{n} {_plural(n, *MENTORS_GEN)}"
            lead = f"{names[best.mentor_id]} (совпадение {best.percent} %)"
            if n > 1:
                lead = f"лучший из них — {lead}"
            places = "свободное место есть" if n == 1 else "свободные места есть"
            if edited:
                text = f"Наставник не назначен куратором: {places} у {who} — {lead}."
                reason = "not_assigned"
            elif per_mentee is not None:
                text = (
                    f"{places.capitalize()} у {who}, но ни один из них не вошёл в {per_mentee} "
                    f"лучших кандидатов этого наставляемого, которые учитывает подбор такого "
                    f"размера; {lead}."
                )
                reason = "not_assigned"
            else:
                text = (
                    f"{places.capitalize()} у {who}, но ни одна такая пара не прибавляет баллов "
                    f"(цель подбора — только суммарный балл); {lead}."
                )
                reason = "no_points"
            out.append(Unmatched(mentee.id, reason, text + rest, excluded=counts))
            continue
        # Every feasible mentor is full: name the best one not filled by the curator's pins.
        head = f"Все подходящие наставники заняты {where}."
        j = int(usable_best.col[x])
        if j < 0:
            text = head + " Их места закреплены куратором за другими наставляемыми." + rest
            out.append(Unmatched(mentee.id, "capacity", text, excluded=counts))
            continue
        best = _score(scorer, i, j, int(usable_best.points[x]))
        holders = holders_of.get(j, [])
        moves = []  # (displaced, lost points, name, holder, new mentor or −1, its points)
        for k in holders:
            target, there, here = move_of[k]
            if target >= 0:
                moves.append((0, here - there, enc.mentees[k].name, k, target, there))
            else:
                moves.append((1, here, enc.mentees[k].name, k, -1, 0))
        moves.sort()
        taken = ", ".join(sorted(enc.mentees[k].name for k in holders))
        text = f"{head} Лучший вариант — {names[best.mentor_id]} (совпадение {best.percent} %)"
        text += f"; его места заняты: {taken}." if taken else "."
        alternative = Alternative(best.mentor_id, best, 0, 0)
        if moves:
            displaced, lost, holder, k, target, there = moves[0]
            alternative = Alternative(best.mentor_id, best, max(0, lost), displaced)
            if target >= 0:
                moved = _score(scorer, k, target, there)
                text += (
                    f" Место освободится, если {holder} перейдёт к другому наставнику со "
                    f"свободным местом — {names[moved.mentor_id]} (совпадение {moved.percent} %"
                    f", суммарный балл ниже на {_points(max(0, lost))})."
                )
            else:
                text += " Ни у кого из них нет другого подходящего наставника со свободным местом."
        out.append(
            Unmatched(mentee.id, "capacity", text + rest, excluded=counts, alternative=alternative)
        )
    return out
