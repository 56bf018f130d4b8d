"""Input and output types of the matching core (no Django imports)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

# Criterion key → Russian label, in display order.
CRITERIA: dict[str, str] = {
    "coverage": "Покрытие запросов",
    "subject": "Тот же предмет",
    "stage": "Тот же уровень образования",
    "experience": "Разница в стаже",
    "form": "Подходящая форма наставничества",
    "availability": "Совпадает удобное время",
    "same_school": "Та же школа",
    "workload": "Равномерная нагрузка наставников",
}
DEFAULT_WEIGHTS: dict[str, int] = {
    "coverage": 5,
    "subject": 3,
    "stage": 2,
    "experience": 1,
    "form": 1,
    "availability": 1,
    "same_school": 1,
    "workload": 1,
}
MAX_WEIGHT = 10

# Hard rule key → Russian label (why a mentor cannot be proposed to a mentee).
RULES: dict[str, str] = {
    "mentee_consent": "у наставляемого нет действующего согласия на обработку ПДн",
    "mentor_consent": "у наставника нет действующего согласия на обработку ПДн",
    "self": "один и тот же человек",
    "mentee_inactive": "наставляемый в отпуске или в архиве",
    "mentor_inactive": "наставник в отпуске или в архиве",
    "experience": "у наставника стаж меньше требуемого",
    "capacity": "у наставника нет свободных мест",
    "forbidden": "пара запрещена куратором",
    "other_school": "наставник из другой школы",
}

# A need of at least this severity (1..5) is a request; a strength of at least this level
# (1..5) covers it.
NEED_THRESHOLD = 3
STRENGTH_THRESHOLD = 4

Objective = Literal["count_then_score", "score_only"]


@dataclass(frozen=True, slots=True)
class Mentee:
    id: int
    name: str
    school: int
    needs: Mapping[str, int] = field(default_factory=dict)  # competency key → severity 1..5
    subjects: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    experience_years: int | None = None
    consent: bool = True
    active: bool = True


@dataclass(frozen=True, slots=True)
class Mentor:
    id: int
    name: str
    school: int
    strengths: Mapping[str, int] = field(default_factory=dict)  # competency key → level 1..5
    subjects: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    experience_years: int | None = None
    capacity: int = 1  # how many mentees at once (Положение limit already applied)
    load: int = 0  # mentees already in open units
    consent: bool = True
    active: bool = True

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass(frozen=True, slots=True)
class Settings:
    weights: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_mentor_experience: int = 0
    network: bool = False  # across schools: `same_school` is ignored, other schools allowed
    objective: Objective = "count_then_score"
    pinned: frozenset[tuple[int, int]] = frozenset()  # (mentee id, mentor id)
    forbidden: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True, slots=True)
class Problem:
    mentees: Sequence[Mentee]
    mentors: Sequence[Mentor]
    settings: Settings = field(default_factory=Settings)
    competency_names: Mapping[str, str] = field(default_factory=dict)  # key → Russian name


@dataclass(frozen=True, slots=True)
class Part:
    """One criterion's contribution to a pair's score."""

    key: str
    label: str
    value: float  # 0..1
    weight: int
    points: int  # value × weight × 1000, rounded
    text: str  # Russian explanation, e.g. «покрывает 3 из 4 запросов: ФГОС, оценивание, …»


@dataclass(frozen=True, slots=True)
class PairScore:
    mentee_id: int
    mentor_id: int
    points: int  # integer objective contribution, the sum of parts' points
    percent: int  # 0..100: points relative to the maximum the weights allow
    parts: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class Assignment:
    mentee_id: int
    mentor_id: int
    score: PairScore
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Alternative:
    """The best feasible mentor an unmatched mentee could have had, and what it would cost."""

    mentor_id: int
    score: PairScore
    cost_points: int  # how much the total objective would drop if this pair were forced
    displaced: int  # how many other mentees would lose their mentor


@dataclass(frozen=True, slots=True)
class Unmatched:
    mentee_id: int
    reason: Literal["no_feasible", "capacity", "no_mentors"]
    text: str  # Russian explanation
    excluded: Mapping[str, int] = field(default_factory=dict)  # rule key → number of mentors
    alternative: Alternative | None = None


@dataclass(frozen=True, slots=True)
class Result:
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    total_points: int
    matched: int
    load: Mapping[int, int]  # mentor id → mentees assigned in this result
    warnings: tuple[str, ...] = ()


class ProblemError(ValueError):
    """The input cannot be solved as given; `messages` are Russian, for the curator."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)
