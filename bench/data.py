"""The one data generator of bench/ (and of tests that need big data): sizes and profiles.

`SIZES` names the sizes every script uses — a school, a municipality (50 schools, 5 000 staff,
2 000 units; network matching 2 000 mentees × 1 000 mentors) and a region (1 000 schools,
50 000 staff, 10 000 units; 20 000 × 10 000). `problem()` builds the matching core's input
for a size, deterministically from a seed: profiles as the banks give them (11 competencies
of the shipped survey, subjects, levels, forms, time slots, experience, capacities 1–3 with
some already taken, a few people without consent or on leave). `flow_instance()` is the bare
graph of the solver benchmark; `staff_rows()` the rows of a staff file for the import.
`populate()` fills the database at a size (organisations, staff, units, questionnaire answers)
for the page, monitoring and load benchmarks.
No Django import at module level: a script that needs the database sets Django up itself.
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


def populate(size: Size, schools: int | None = None, districts: int = 10):
    """The database at `size`: a region with `districts` municipalities and `schools`
    schools (default: the size's), the size's staff and units per school, start and end
    feedback questionnaires with answers (at most 100 000), and an admin of the region
    (admin@bench.ru). Returns (admin, region, first municipality, first school, answers).
    Needs Django set up (the calling script does it)."""

    from apps.orgs.models import Membership, Organisation, User
    from apps.people.models import Person
    from apps.programs.models import FormatType, MentoringUnit, PairingType, UnitMember

    schools_n = schools or size.schools
    staff_per_school = size.staff // size.schools
    units_per_school = size.units // size.schools
    rnd = random.Random(1)
    region = Organisation.objects.create(kind="region", name="Область", short_name="Обл", slug="r")
    municipalities = [
        Organisation.objects.create(
            kind="municipality", parent=region, name=f"Район {i}", short_name=f"Р{i}",
            slug=f"m{i}",
        )
        for i in range(districts)
    ]  # fmt: skip
    schools = [
        Organisation.objects.create(
            kind="school", parent=municipalities[i % districts], name=f"Школа {i}",
            short_name=f"Школа {i}", slug=f"s{i}",
        )
        for i in range(schools_n)
    ]  # fmt: skip
    # A new school gets its dictionaries from a signal: take them or create them.
    pairing, _ = PairingType.objects.get_or_create(
        organisation=schools[0], name="Педагог – педагог"
    )
    fmt, _ = FormatType.objects.get_or_create(organisation=schools[0], name="Традиционное")
    people = [
        Person(
            organisation=school, last_name=f"Ф{i}", first_name="И", middle_name="О",
            name_key=f"{school.pk}-{i}", position="Учитель",
            teaching_experience=rnd.randint(0, 30), is_young_specialist=i % 9 == 0,
            birth_date=datetime.date(rnd.randint(1965, 2003), 5, 1),
            hired_on=datetime.date(rnd.randint(2015, 2026), 9, 1),
        )
        for school in schools
        for i in range(staff_per_school)
    ]  # fmt: skip
    Person.objects.bulk_create(people, batch_size=5000)
    day = datetime.date(2026, 10, 1)
    units, members = [], []
    for s, school in enumerate(schools):
        staff = people[s * staff_per_school : (s + 1) * staff_per_school]
        for u in range(units_per_school):
            units.append(
                MentoringUnit(
                    organisation=school, year="2026/2027", mentor=staff[u], pairing=pairing,
                    format=fmt, start_date=day, end_date=datetime.date(2027, 5, 31),
                    status=rnd.choice(["active", "active", "completed", "terminated"]),
                )
            )  # fmt: skip
    MentoringUnit.objects.bulk_create(units, batch_size=5000)
    for index, unit in enumerate(units):
        s = index // units_per_school
        mentee = people[s * staff_per_school + units_per_school + index % units_per_school]
        members.append(
            UnitMember(unit=unit, mentee=mentee, mentor=unit.mentor, format=fmt, joined_on=day)
        )
    UnitMember.objects.bulk_create(members, batch_size=5000)
    answers = feedback_answers(schools, units, members, rnd)
    user = User.objects.create_user("admin@bench.ru", "x")
    Membership.objects.create(user=user, organisation=region, role="admin")
    return user, region, municipalities[0], schools[0], answers


def feedback_answers(schools, units, members, rnd) -> int:
    """Start and end campaigns per unit, 4 scale answers (satisfaction) and 1 grid each."""
    from apps.surveys.models import Answer, Campaign, Invitation, Question
    from apps.surveys.services import _build_template
    from apps.surveys.shipped import FEEDBACK_MENTEE, SELF_ASSESSMENT

    # The templates of the first school serve every campaign (answers are what matters).
    satisfaction = _build_template(schools[0], FEEDBACK_MENTEE)
    grid = _build_template(schools[0], SELF_ASSESSMENT)
    scale_questions = list(Question.objects.filter(template=satisfaction, kind="scale"))
    grid_question = Question.objects.get(template=grid, kind="grid")
    deadline = datetime.date(2026, 12, 1)
    campaigns = Campaign.objects.bulk_create(
        Campaign(organisation_id=unit.organisation_id, template=template, title="b",
                 deadline=deadline, unit=unit, phase=phase)
        for unit in units
        for phase in ("start", "end")
        for template in (satisfaction, grid)
    )  # fmt: skip
    mentee_of = {m.unit_id: m.mentee_id for m in members}
    invitations = Invitation.objects.bulk_create(
        (Invitation(campaign=c, person_id=mentee_of[c.unit_id]) for c in campaigns),
        batch_size=5000,
    )
    rows = []
    for invitation in invitations:
        campaign = invitation.campaign
        if campaign.template_id == satisfaction.pk:
            base = 6 if campaign.phase == "start" else 8
            rows.extend(
                Answer(invitation=invitation, question=q, value=base + rnd.randint(0, 2))
                for q in scale_questions
            )
        else:
            level = 2 if campaign.phase == "start" else 4
            rows.append(Answer(invitation=invitation, question=grid_question,
                               value={str(k): level for k in range(1, 6)}))  # fmt: skip
        if len(rows) >= 100_000:
            break
    Answer.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


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
