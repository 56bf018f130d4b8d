"""The one data generator of bench/ (and of tests that need big data): sizes and profiles.

`SIZES` names the sizes every script uses — a school, a municipality (50 schools, 5 000 staff,
2 000 units; network matching 2 000 mentees × 1 000 mentors) and a region (1 000 schools,
50 000 staff, 10 000 units; 20 000 × 10 000). `problem()` builds the matching core's input
for a size, deterministically from a seed: profiles as the banks give them (11 competencies
of the shipped survey, subjects, levels, forms, time slots, experience, capacities 1–3 with
some already taken, a few people without consent or on leave). `flow_instance()` is the bare
graph of the solver benchmark; `staff_rows()` the rows of a staff file for the import.
No Django import: a script that needs the database sets Django up itself.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Size:
    name: str
    schools: int
    staff: int  # people in the staff registers
    units: int  # pairs and groups
    mentees: int  # in a matching run
    mentors: int


SIZES = {
    "school": Size("школа", 1, 100, 40, 60, 40),
    "municipality": Size("муниципалитет", 50, 5_000, 2_000, 2_000, 1_000),
    "region": Size("регион", 1_000, 50_000, 10_000, 20_000, 10_000),
}

COMPETENCIES = [
    "Нормативная база и ФГОС", "Планирование урока", "Оценивание", "Работа с родителями",
    "Дисциплина в классе", "Цифровые инструменты", "Проектная деятельность", "Инклюзия",
    "Воспитательная работа", "Самообразование", "Психолого-педагогическая поддержка",
]  # fmt: skip
SUBJECTS = [
    "Математика", "Русский язык", "Литература", "История", "Обществознание", "Физика",
    "Химия", "Биология", "География", "Информатика", "Английский язык", "Начальные классы",
    "Физическая культура", "Музыка", "Технология",
]  # fmt: skip
STAGES = ["НОО", "ООО", "СОО"]
FORMS = ["Традиционное «один на один»", "Групповое", "Виртуальное", "Реверсивное"]
SLOTS = ["До уроков", "После уроков", "Методический день", "Онлайн вечером", "Суббота"]


def problem(
    n_mentees: int,
    n_mentors: int,
    *,
    schools: int | None = None,
    seed: int = 7,
    network: bool = True,
    min_experience: int = 3,
):
    """The core's Problem: `n_mentees` × `n_mentors` spread over `schools` schools."""
    from apps.matching.core.model import Mentee, Mentor, Problem, Settings

    rnd = random.Random(seed)
    schools = schools or max(1, n_mentors // 20)

    def some(options, low, high):
        return frozenset(rnd.sample(options, rnd.randint(low, high)))

    def comps(low, high):
        return {c: rnd.randint(low, high) for c in rnd.sample(COMPETENCIES, rnd.randint(4, 11))}

    mentees = [
        Mentee(
            id=1 + i, name=f"Наставляемый {i:05d}", school=1 + rnd.randrange(schools),
            needs=comps(1, 5), subjects=some(SUBJECTS, 1, 2), stages=some(STAGES, 1, 2),
            forms=some(FORMS, 0, 2), availability=some(SLOTS, 0, 3),
            experience_years=None if rnd.random() < 0.05 else rnd.randint(0, 3),
            consent=rnd.random() > 0.01, active=rnd.random() > 0.01,
        )
        for i in range(n_mentees)
    ]  # fmt: skip
    mentors = []
    for j in range(n_mentors):
        capacity = rnd.randint(1, 3)
        mentors.append(
            Mentor(
                id=1_000_000 + j, name=f"Наставник {j:05d}", school=1 + rnd.randrange(schools),
                strengths=comps(2, 5), subjects=some(SUBJECTS, 1, 2), stages=some(STAGES, 1, 3),
                forms=some(FORMS, 0, 3), availability=some(SLOTS, 0, 3),
                experience_years=None if rnd.random() < 0.03 else rnd.randint(2, 35),
                capacity=capacity, load=rnd.randint(0, capacity) if rnd.random() < 0.2 else 0,
                consent=rnd.random() > 0.01, active=rnd.random() > 0.02,
            )
        )  # fmt: skip
    settings = Settings(min_mentor_experience=min_experience, network=network)
    return Problem(mentees, mentors, settings)


def of_size(name: str, **kw):
    size = SIZES[name]
    return problem(size.mentees, size.mentors, schools=size.schools, **kw)


def flow_instance(n: int, m: int, k: int, seed: int = 7):
    """≈k distinct random candidate mentors per mentee, capacities 1..3, points 0..80 000
    (int32 arrays, as the pipeline gives them)."""
    rng = np.random.default_rng(seed)
    left = np.repeat(np.arange(n, dtype=np.int64), k)
    right = rng.integers(0, m, n * k, dtype=np.int64)
    keys = np.unique(left * m + right)
    left, right = (keys // m).astype(np.int32), (keys % m).astype(np.int32)
    points = rng.integers(0, 80_001, len(left), dtype=np.int32)
    capacity = rng.integers(1, 4, m, dtype=np.int64)
    return n, capacity, left, right, points


STAFF_HEADER = [
    "Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "Предметы",
    "Квалификационная категория", "Педагогический стаж", "E-mail",
]  # fmt: skip
STAFF_LAST = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Орлов"]
STAFF_FIRST = ["Иван", "Пётр", "Сергей", "Андрей", "Олег", "Юрий", "Роман", "Павел"]
STAFF_MIDDLE = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович"]
STAFF_SUBJECTS = ["Математика", "Физика", "Информатика", "История", "Химия", "Биология"]


def staff_rows(n: int, seed: int = 1) -> list[list]:
    """`n` rows of a staff file as a school fills the shipped template (header not included):
    ФИО, birth date as text «дд.мм.гггг», position, two subjects, category, experience, e-mail."""
    rnd = random.Random(seed)
    start = datetime.date(1960, 1, 1)
    rows = []
    for i in range(n):
        birth = start + datetime.timedelta(days=i % 12000)
        rows.append(
            [rnd.choice(STAFF_LAST), rnd.choice(STAFF_FIRST), rnd.choice(STAFF_MIDDLE),
             birth.strftime("%d.%m.%Y"), "Учитель", "; ".join(rnd.sample(STAFF_SUBJECTS, 2)),
             rnd.choice(["первая", "высшая", ""]), rnd.randint(0, 40), f"t{i}@example.org"]
        )  # fmt: skip
    return rows
