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
from apps.matching.core.vector import Encoded, Scorer, row_scores


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


def _best(mask: np.ndarray, points: np.ndarray, exclude: int = -1) -> int:
    """The column with the most points among `mask` (ties: the smaller id), or −1."""
    if exclude >= 0:
        mask = mask.copy()
        mask[exclude] = False
    cols = np.flatnonzero(mask)
    if not len(cols):
        return -1
    return int(cols[np.lexsort((cols, -points[cols]))[0]])


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
    pair_of = {mi[a]: ri[b] for a, b in pairs}
    out = []
    where = "в текущем распределении" if edited else "в лучшем общем распределении"
    for i in order:
        mentee = enc.mentees[i]
        counts = dict(excluded.get(mentee.id, {}))
        if not enc.mentors:
            out.append(Unmatched(mentee.id, "no_mentors", "Не выбран ни один наставник."))
            continue
        ok, points = row_scores(scorer, i)
        if not ok.any():
            text = (
                f"Нет подходящего наставника: {rule_summary(counts)}."
                if counts
                else "Нет подходящего наставника."
            )
            out.append(Unmatched(mentee.id, "no_feasible", text, excluded=counts))
            continue
        rest = f" Остальные не подходят: {rule_summary(counts)}." if counts else ""
        open_ = ok & (remaining > 0)
        if open_.any():
            j = _best(open_, points)
            n = int(open_.sum())
            best = _score(scorer, i, j, int(points[j]))
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
            out.append(Unmatched(mentee.id, reason, text + rest, excluded=counts, alternative=None))
            continue
        # Every feasible mentor is full: name the best one not filled by the curator's pins.
        usable = ok.copy()
        for j, count in pinned_load.items():
            if count >= enc.free[j]:
                usable[j] = False
        head = f"Все подходящие наставники заняты {where}."
        j = _best(usable, points)
        if j < 0:
            text = head + " Их места закреплены куратором за другими наставляемыми." + rest
            out.append(Unmatched(mentee.id, "capacity", text, excluded=counts))
            continue
        best = _score(scorer, i, j, int(points[j]))
        holders = [k for k in held.get(j, []) if (enc.mentees[k].id, best.mentor_id) not in pinned]
        moves = []  # (displaced, lost points, holder, new mentor or −1, its points)
        for k in holders:
            ok_k, points_k = row_scores(scorer, k)
            here = int(points_k[pair_of[k]])
            target = _best(ok_k & (remaining > 0), points_k, exclude=j)
            if target >= 0:
                there = int(points_k[target])
                moves.append((0, here - there, k, target, there))
            else:
                moves.append((1, here, k, -1, 0))
        moves.sort(key=lambda x: (x[0], x[1], enc.mentees[x[2]].name, x[2]))
        taken = ", ".join(
            enc.mentees[k].name for k in sorted(holders, key=lambda k: enc.mentees[k].name)
        )
        text = f"{head} Лучший вариант — {names[best.mentor_id]} (совпадение {best.percent} %)"
        text += f"; его места заняты: {taken}." if taken else "."
        alternative = Alternative(best.mentor_id, best, 0, 0)
        if moves:
            displaced, lost, k, target, there = moves[0]
            alternative = Alternative(best.mentor_id, best, max(0, lost), displaced)
            holder = enc.mentees[k].name
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
