"""What the proposal page shows, built from a stored run (no bank queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.matching.core.criteria import score_pair
from apps.matching.core.model import NEED_THRESHOLD, RULES
from apps.matching.inputs import mentee_from, mentor_from, problem_from
from apps.matching.models import MatchingRun

PAGE_SIZE = 50  # rows of each list (pairs, unmatched, mentor load) a page shows


@dataclass
class Page:
    """One page of a long list: its items and the neighbouring page numbers (or None)."""

    items: list
    number: int
    count: int  # pages
    total: int  # items in the whole list
    previous: int | None
    next: int | None


def page_of(items: list, number, size: int | None = None) -> Page:
    size = size or PAGE_SIZE
    try:
        number = int(number or 1)
    except (TypeError, ValueError):
        number = 1
    count = max(1, -(-len(items) // size))
    number = min(max(1, number), count)
    start = (number - 1) * size
    return Page(
        items[start : start + size],
        number,
        count,
        len(items),
        number - 1 if number > 1 else None,
        number + 1 if number < count else None,
    )


def parts_for(run: MatchingRun, mentee: dict, mentor: dict) -> list[dict]:
    """The per-criterion sentences of one pair, from the stored inputs (built lazily)."""
    settings = problem_from({}, run.options, [], []).settings
    score = score_pair(mentee_from(mentee), mentor_from(mentor), settings, {})
    return [
        {"key": p.key, "label": p.label, "weight": p.weight, "points": p.points, "text": p.text}
        for p in score.parts
    ]


@dataclass
class Side:
    """One criterion row of the side-by-side answers."""

    label: str
    mentee: str
    mentor: str
    match: bool


@dataclass
class Row:
    mentee: dict
    mentor: dict
    percent: int
    points: int
    pinned: bool
    parts: list[dict]
    unknown: list[str]  # criteria neither side answered (scored neutrally)
    sides: list[Side]
    options: list[dict] = field(default_factory=list)  # swap candidates: id, name, percent


def _unknown(part: dict) -> bool:
    return "не указан" in part["text"]


def _join(values) -> str:
    return ", ".join(values) or "—"


def needs_vs_strengths(mentee: dict, mentor: dict) -> list[Side]:
    requests = sorted(
        (
            (name, level)
            for name, level in mentee.get("needs", {}).items()
            if level >= NEED_THRESHOLD
        ),
        key=lambda item: (-item[1], item[0]),
    )
    strengths = mentor.get("strengths", {})
    return [
        Side(
            label=name,
            mentee=f"нужна поддержка: {level} из 5",
            mentor=f"уровень {strengths[name]} из 5" if name in strengths else "не оценивал(а)",
            match=strengths.get(name, 0) >= 4,
        )
        for name, level in requests
    ]


def sides(mentee: dict, mentor: dict) -> list[Side]:
    def years(person):
        value = person.get("experience_years")
        return "не указан" if value is None else f"{value}"

    rows = needs_vs_strengths(mentee, mentor)
    for key, label in (
        ("subjects", "Предметы"),
        ("stages", "Уровни образования"),
        ("forms", "Формы наставничества"),
        ("availability", "Удобное время"),
    ):
        a, b = mentee.get(key, []), mentor.get(key, [])
        rows.append(Side(label, _join(a), _join(b), bool(set(a) & set(b))))
    rows.append(Side("Педагогический стаж, лет", years(mentee), years(mentor), True))
    return rows


def proposal(run: MatchingRun, pages: dict | None = None) -> dict:
    """The proposal page's data; `pages` gives the page number of each list (1 by default)."""
    pages = pages or {}
    mentees = {m["id"]: m for m in run.snapshot.get("mentees", [])}
    mentors = {m["id"]: m for m in run.snapshot.get("mentors", [])}
    result = run.result
    candidates = result.get("candidates", {})
    rows = []
    pairs_page = page_of(result.get("assignments", []), pages.get("pairs"))
    for a in pairs_page.items:
        mentee, mentor = mentees[a["mentee"]], mentors[a["mentor"]]
        parts = a.get("parts") or parts_for(run, mentee, mentor)
        options = [
            {"id": c["mentor"], "name": mentors[c["mentor"]]["name"], "percent": c["percent"]}
            for c in candidates.get(str(a["mentee"]), [])
            if c["mentor"] in mentors
        ]
        if not any(o["id"] == mentor["id"] for o in options):
            options.insert(0, {"id": mentor["id"], "name": mentor["name"], "percent": a["percent"]})
        rows.append(
            Row(
                mentee=mentee,
                mentor=mentor,
                percent=a["percent"],
                points=a["points"],
                pinned=a.get("pinned", False),
                parts=[p for p in parts if p["weight"] and not _unknown(p)],
                unknown=[p["label"].lower() for p in parts if p["weight"] and _unknown(p)],
                sides=sides(mentee, mentor),
                options=options,
            )
        )
    pairs_page.items = rows
    unmatched = []
    unmatched_page = page_of(result.get("unmatched", []), pages.get("unmatched"))
    for u in unmatched_page.items:
        alternative = u.get("alternative")
        unmatched.append(
            {
                "mentee": mentees[u["mentee"]],
                "text": u["text"],
                "reason": u["reason"],
                "excluded": [
                    (RULES.get(rule, rule), count) for rule, count in u.get("excluded", {}).items()
                ],
                "alternative": (
                    {**alternative, "name": mentors[alternative["mentor"]]["name"]}
                    if alternative and alternative["mentor"] in mentors
                    else None
                ),
                "options": [
                    {
                        "id": c["mentor"],
                        "name": mentors[c["mentor"]]["name"],
                        "percent": c["percent"],
                    }
                    for c in candidates.get(str(u["mentee"]), [])
                    if c["mentor"] in mentors
                ],
            }
        )
    unmatched_page.items = unmatched
    load = result.get("load", {})
    load_page = page_of(
        sorted(mentors.values(), key=lambda m: (m["name"], m["id"])), pages.get("load")
    )
    mentor_load = [
        {
            **m,
            "assigned": load.get(str(m["id"]), 0),
            "free": max(0, m["capacity"] - m["load"]),
        }
        for m in load_page.items
    ]
    load_page.items = mentor_load
    pinned = {tuple(p) for p in run.pinned}
    pinned_rows = [
        (mentees[a]["name"], mentors[b]["name"])
        for a, b in run.pinned
        if a in mentees and b in mentors
    ]
    forbidden = [
        (mentees.get(a, {}).get("name", a), mentors.get(b, {}).get("name", b), a, b)
        for a, b in run.forbidden
    ]
    optimal = result.get("optimal_points", result.get("total_points", 0))
    return {
        "rows": rows,
        "unmatched": unmatched,
        "unmatched_total": unmatched_page.total,
        "mentor_load": mentor_load,
        "pages": {"pairs": pairs_page, "unmatched": unmatched_page, "load": load_page},
        "pinned": pinned,
        "pinned_rows": pinned_rows,
        "forbidden": forbidden,
        "matched": result.get("matched", 0),
        "total": len(mentees),
        "total_points": result.get("total_points", 0),
        "optimal_points": optimal,
        "optimal_matched": result.get("optimal_matched", result.get("matched", 0)),
        "loss_points": max(0, optimal - result.get("total_points", 0)),
        "warnings": result.get("warnings", []),
    }


def compare(a: MatchingRun, b: MatchingRun) -> list[dict]:
    """Mentee by mentee: the mentor each run gives (only mentees present in either run)."""
    names = {m["id"]: m["name"] for run in (a, b) for m in run.snapshot.get("mentees", [])}
    mentor_names = {m["id"]: m["name"] for run in (a, b) for m in run.snapshot.get("mentors", [])}
    pairs_a = dict(a.pairs)
    pairs_b = dict(b.pairs)
    rows = []
    for mentee_id in sorted(names, key=lambda i: (names[i], i)):
        left, right = pairs_a.get(mentee_id), pairs_b.get(mentee_id)
        rows.append(
            {
                "mentee": names[mentee_id],
                "a": mentor_names.get(left, "—") if left else "без пары",
                "b": mentor_names.get(right, "—") if right else "без пары",
                "same": left == right,
            }
        )
    return rows
