"""Realistic demo data: a region, a municipality, three schools with staff, roles and consents.

Deterministic (fixed seed) and idempotent: every object is found by a stable key (org slug,
user e-mail, person's normalised name + birth date) before it is created.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone

from apps.banks.models import Profile
from apps.banks.services import profile_from_invitation
from apps.core.years import academic_year, year_bounds
from apps.documents.context import DocumentRuleError, missing_duties_consents, units_for_order
from apps.documents.models import DocKind, DocStatus, Document
from apps.documents.services import issue, set_status
from apps.events.models import Event, EventAudience, EventKind, Participant
from apps.library.models import Material
from apps.library.services import save_material
from apps.matching.core.model import ProblemError
from apps.matching.inputs import build_pool
from apps.matching.models import MatchingRun, MatchingSettings
from apps.matching.services import (
    ConfirmError,
    ConfirmInput,
    RunInput,
    confirm,
    default_weights,
    start_run,
)
from apps.monitoring import regional
from apps.monitoring.feedback import launch as launch_feedback
from apps.monitoring.models import MonitoringForm
from apps.notifications.kinds import kind as notification_kind
from apps.notifications.models import Notification
from apps.orgs.choices import OrgKind, Role
from apps.orgs.models import Membership, Organisation, User
from apps.payroll.models import PayRule
from apps.people.choices import Category, ConsentKind, ConsentMethod, DistributionItem, Level
from apps.people.choices import PersonStatus as St
from apps.people.consents import DEFAULT_DATA, DEFAULT_PURPOSE
from apps.people.models import Consent, Person
from apps.people.normalize import name_key
from apps.people.services import resolve_subjects
from apps.programs.models import FormatType, MentoringUnit, PairingType, ProgrammeTemplate, Task
from apps.programs.programme import apply_template, ensure_programme_templates, programme_for
from apps.programs.services import UnitRuleError, activate_unit, create_unit, ensure_dictionaries
from apps.publicity.models import Post, PostStatus
from apps.publicity.services import page_for, propose_for_event, publish, repost, sanitize
from apps.roadmap.services import ensure_roadmap
from apps.surveys.models import Answer, Campaign, Invitation
from apps.surveys.services import install_shipped

DEMO_PASSWORD = "demo12345"  # noqa: S105 — published in the README for the demo only
SEED = 20261124
# Birth dates hang off a fixed year so the people stay the same whatever day the demo loads.
REF_YEAR = 2026

MALE_FIRST = [
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Павел", "Павлович", "Павловна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Пётр", "Петрович", "Петровна"),
    ("Роман", "Романович", "Романовна"),
]
FEMALE_FIRST = [
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина",
    "Юлия", "Марина", "Людмила", "Галина", "Надежда", "Вера", "Ксения", "Дарья", "Алина",
    "Виктория", "Анастасия", "Полина", "Оксана", "Лариса", "Валентина", "Софья", "Елизавета",
]  # fmt: skip
MALE_FIRST_ONLY = [m[0] for m in MALE_FIRST]
# Surnames as (male, female) forms.
SURNAMES = [
    ("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Васильев", "Васильева"), ("Петров", "Петрова"),
    ("Соколов", "Соколова"), ("Михайлов", "Михайлова"), ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"), ("Морозов", "Морозова"), ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"), ("Лебедев", "Лебедева"), ("Семёнов", "Семёнова"),
    ("Егоров", "Егорова"), ("Павлов", "Павлова"), ("Козлов", "Козлова"),
    ("Степанов", "Степанова"), ("Николаев", "Николаева"), ("Орлов", "Орлова"),
    ("Андреев", "Андреева"), ("Макаров", "Макарова"), ("Никитин", "Никитина"),
    ("Захаров", "Захарова"), ("Зайцев", "Зайцева"), ("Соловьёв", "Соловьёва"),
    ("Борисов", "Борисова"), ("Яковлев", "Яковлева"), ("Григорьев", "Григорьева"),
    ("Романов", "Романова"), ("Воробьёв", "Воробьёва"), ("Сергеев", "Сергеева"),
    ("Кузьмин", "Кузьмина"), ("Фролов", "Фролова"), ("Александров", "Александрова"),
    ("Дмитриев", "Дмитриева"), ("Королёв", "Королёва"), ("Гусев", "Гусева"),
    ("Киселёв", "Киселёва"), ("Ильин", "Ильина"), ("Максимов", "Максимова"),
    ("Поляков", "Полякова"), ("Сорокин", "Сорокина"), ("Виноградов", "Виноградова"),
    ("Ковалёв", "Ковалёва"), ("Белов", "Белова"), ("Медведев", "Медведева"),
    ("Антонов", "Антонова"), ("Тарасов", "Тарасова"), ("Жуков", "Жукова"),
    ("Баранов", "Баранова"), ("Филиппов", "Филиппова"), ("Комаров", "Комарова"),
    ("Давыдов", "Давыдова"), ("Беляев", "Беляева"), ("Герасимов", "Герасимова"),
    ("Богданов", "Богданова"), ("Осипов", "Осипова"), ("Сидоров", "Сидорова"),
    ("Матвеев", "Матвеева"), ("Титов", "Титова"), ("Марков", "Маркова"),
    ("Миронов", "Миронова"), ("Крылов", "Крылова"), ("Куликов", "Куликова"),
    ("Карпов", "Карпова"), ("Власов", "Власова"), ("Мельников", "Мельникова"),
    ("Денисов", "Денисова"), ("Гаврилов", "Гаврилова"), ("Тихонов", "Тихонова"),
    ("Казаков", "Казакова"), ("Афанасьев", "Афанасьева"), ("Данилов", "Данилова"),
    ("Савельев", "Савельева"), ("Тимофеев", "Тимофеева"), ("Фомин", "Фомина"),
    ("Чернов", "Чернова"), ("Абрамов", "Абрамова"), ("Мартынов", "Мартынова"),
    ("Ефимов", "Ефимова"), ("Щербаков", "Щербакова"), ("Назаров", "Назарова"),
    ("Калинин", "Калинина"), ("Исаев", "Исаева"), ("Чернышёв", "Чернышёва"),
    ("Быков", "Быкова"), ("Маслов", "Маслова"), ("Родионов", "Родионова"),
    ("Коновалов", "Коновалова"), ("Лазарев", "Лазарева"), ("Воронин", "Воронина"),
    ("Климов", "Климова"), ("Филатов", "Филатова"), ("Пономарёв", "Пономарёва"),
    ("Голубев", "Голубева"), ("Кудрявцев", "Кудрявцева"), ("Прохоров", "Прохорова"),
    ("Наумов", "Наумова"), ("Потапов", "Потапова"), ("Журавлёв", "Журавлёва"),
    ("Овчинников", "Овчинникова"), ("Трофимов", "Трофимова"), ("Леонов", "Леонова"),
    ("Соболев", "Соболева"), ("Ермаков", "Ермакова"), ("Колесников", "Колесникова"),
]  # fmt: skip

P, B, S, PRE, ADD = Level.PRIMARY, Level.BASIC, Level.SECONDARY, Level.PRESCHOOL, Level.ADDITIONAL


@dataclass(frozen=True)
class PositionSpec:
    position: str
    subjects: tuple[str, ...]
    levels: tuple[str, ...]
    weight: int
    female_share: float = 0.8


POSITIONS = [
    PositionSpec("Учитель начальных классов", ("Начальные классы",), (P,), 9, 0.97),
    PositionSpec("Учитель математики", ("Математика",), (B, S), 6),
    PositionSpec("Учитель русского языка и литературы", ("Русский язык", "Литература"), (B, S), 6),
    PositionSpec("Учитель английского языка", ("Английский язык",), (P, B, S), 4),
    PositionSpec("Учитель истории и обществознания", ("История", "Обществознание"), (B, S), 3),
    PositionSpec("Учитель физики", ("Физика",), (B, S), 2, 0.5),
    PositionSpec("Учитель химии", ("Химия",), (B, S), 1),
    PositionSpec("Учитель биологии", ("Биология",), (B, S), 2),
    PositionSpec("Учитель географии", ("География",), (B, S), 1),
    PositionSpec("Учитель информатики", ("Информатика",), (B, S), 2, 0.4),
    PositionSpec("Учитель физической культуры", ("Физическая культура",), (P, B, S), 3, 0.35),
    PositionSpec("Учитель музыки", ("Музыка",), (P, B), 1),
    PositionSpec("Учитель изобразительного искусства", ("Изобразительное искусство",), (P, B), 1),
    PositionSpec("Учитель технологии", ("Труд (технология)",), (B,), 2, 0.5),
    PositionSpec("Учитель ОБЗР", ("Основы безопасности и защиты Родины",), (B, S), 1, 0.3),
    PositionSpec("Педагог-психолог", (), (P, B, S), 1),
    PositionSpec("Социальный педагог", (), (P, B, S), 1),
    PositionSpec("Учитель-логопед", (), (P,), 1, 0.95),
    PositionSpec("Педагог дополнительного образования", ("Робототехника",), (ADD,), 1, 0.5),
    PositionSpec("Педагог-организатор", (), (B, S), 1),
    PositionSpec("Советник директора по воспитанию", (), (B, S), 1),
]
EDUCATION = [
    "Высшее педагогическое",
    "Высшее педагогическое",
    "Высшее педагогическое, магистратура",
    "Высшее, профессиональная переподготовка «Педагогическое образование»",
    "Среднее профессиональное педагогическое",
]

SCHOOLS = [
    {
        "slug": "school7",
        "number": 7,
        "name": "Муниципальное бюджетное общеобразовательное учреждение "
        "«Средняя общеобразовательная школа № 7» г. Энска",
        "short_name": "СОШ № 7",
        "inn": "3601012345",
        "ogrn": "1023601234567",
        "address": "394036, г. Энск, ул. Ленина, д. 15",
        "head": ("Морозова", "Елена", "Викторовна"),
        "staff": 62,
    },
    {
        "slug": "gym3",
        "number": 3,
        "name": "Муниципальное автономное общеобразовательное учреждение «Гимназия № 3» г. Энска",
        "short_name": "Гимназия № 3",
        "inn": "3601023456",
        "ogrn": "1023601345678",
        "address": "394018, г. Энск, пр. Революции, д. 42",
        "head": ("Соколов", "Андрей", "Павлович"),
        "staff": 74,
        "self_choice": True,  # mentees choose mentors themselves, the curator approves
    },
    {
        "slug": "lyceum12",
        "number": 12,
        "name": "Муниципальное бюджетное общеобразовательное учреждение "
        "«Лицей № 12 имени А. С. Пушкина» г. Энска",
        "short_name": "Лицей № 12",
        "inn": "3601034567",
        "ogrn": "1023601456789",
        "address": "394055, г. Энск, ул. Пушкинская, д. 8",
        "head": ("Лебедева", "Ольга", "Николаевна"),
        "staff": 48,
        # Few mentors and a confirmed matching run: some mentees are left for network matching.
        "mentor_invites": 3,
        "confirm_matching": True,
    },
]

DEMO_LOGINS = [
    ("Администратор системы", "admin@oblast.demo"),
    ("Методист региона", "region@oblast.demo"),
    ("Методист муниципалитета", "methodist@ensk.demo"),
    ("Руководитель ОО (СОШ № 7)", "head@school7.demo"),
    ("Куратор наставничества (СОШ № 7)", "curator@school7.demo"),
    ("Наставник (СОШ № 7)", "mentor1@school7.demo"),
    ("Наставляемый (СОШ № 7)", "mentee2@school7.demo"),
    ("Куратор (Гимназия № 3)", "curator@gym3.demo"),
    ("Наставляемый, сам выбирает наставника (Гимназия № 3)", "choose@gym3.demo"),
    ("Куратор (Лицей № 12)", "curator@lyceum12.demo"),
]


def load_demo(*, today: datetime.date | None = None) -> dict[str, int]:
    """Create or refresh the demo world. Side effects: writes orgs, users, people, consents."""
    today = today or timezone.localdate()
    with transaction.atomic():
        region = _org(
            "oblast",
            OrgKind.REGION,
            None,
            name="Министерство образования Энской области",
            short_name="Энская область",
            city="г. Энск",
            address="394006, г. Энск, ул. Кольцовская, д. 1",
            head_position="Министр образования",
            head_name="Кузнецов Игорь Владимирович",
            website="https://minobr.example.ru",
        )
        municipality = _org(
            "ensk",
            OrgKind.MUNICIPALITY,
            region,
            name="Управление образования администрации городского округа г. Энск",
            short_name="г. Энск",
            city="г. Энск",
            address="394000, г. Энск, ул. Плехановская, д. 10",
            head_position="Руководитель управления",
            head_name="Петрова Галина Сергеевна",
            website="https://uo-ensk.example.ru",
        )
        _user("admin@oblast.demo", "Зайцев Роман Олегович", region, Role.ADMIN)
        _user("region@oblast.demo", "Орлова Марина Юрьевна", region, Role.METHODIST)
        _user("methodist@ensk.demo", "Никитина Светлана Андреевна", municipality, Role.METHODIST)
        schools = [_school(spec, municipality, today) for spec in SCHOOLS]
        _publicity_above(municipality, region, schools[0])
        _monitoring_form(municipality, schools, today)
        for school in schools:
            _notifications(school, today)
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "persons": Person.objects.count(),
        "consents": Consent.objects.count(),
    }


def _org(slug: str, kind: str, parent: Organisation | None, **fields) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        slug=slug, defaults={"kind": kind, "parent": parent, **fields}
    )
    return org


def _user(email: str, full_name: str, org: Organisation, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, organisation=org, role=role)
    return user


def _school(spec: dict, municipality: Organisation, today: datetime.date) -> Organisation:
    rng = random.Random(f"{SEED}-{spec['slug']}")
    head_last, head_first, head_middle = spec["head"]
    school = _org(
        spec["slug"],
        OrgKind.SCHOOL,
        municipality,
        name=spec["name"],
        short_name=spec["short_name"],
        inn=spec["inn"],
        ogrn=spec["ogrn"],
        city="г. Энск",
        address=spec["address"],
        head_position="Директор",
        head_name=f"{head_last} {head_first} {head_middle}",
        website=f"https://{spec['slug']}.ensk.example.ru",
        email=f"{spec['slug']}@ensk.example.ru",
        phone=f"+7 (473) 2{spec['number']:02d}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
    )
    people = _staff(school, spec, rng, today)
    _roles(school, spec["slug"], people)
    _consents(people, rng, today)
    _surveys(school, people, rng, today, mentor_invites=spec.get("mentor_invites", 12))
    _units(school, people, today)
    _matching(school, spec, today)
    _documents(school, today)
    _events_and_library(school, people, today)
    _feedback(school, rng)
    _roadmap(school, today)
    _publicity(school, people)
    _pay_rule(school, today)
    return school


def _staff(school: Organisation, spec: dict, rng: random.Random, today: datetime.date):
    """Head, curator and teachers; returns {'head', 'curator', 'experienced', 'young', 'all'}."""
    existing = {(p.name_key, p.birth_date): p for p in Person.objects.of(school)}
    used_names: set[str] = set()
    people: list[Person] = []

    def person(last, first, middle, birth, **fields) -> Person:
        key = (name_key(last, first, middle), birth)
        p = existing.get(key) or Person(organisation=school)
        # Our generator knows the gender it drew: Russian patronymics carry it.
        fields.setdefault("gender", "female" if middle.endswith("на") else "male")
        subjects = fields.pop("subjects", ())
        for attr, value in {
            "last_name": last,
            "first_name": first,
            "middle_name": middle,
            "birth_date": birth,
            **fields,
        }.items():
            setattr(p, attr, value)
        p.save()
        p.subjects.set(resolve_subjects(subjects).values())
        people.append(p)
        return p

    def random_name(female: bool) -> tuple[str, str, str]:
        while True:
            male_surname, female_surname = rng.choice(SURNAMES)
            father = rng.choice(MALE_FIRST)
            if female:
                name = (female_surname, rng.choice(FEMALE_FIRST), father[2])
            else:
                name = (male_surname, rng.choice(MALE_FIRST_ONLY), father[1])
            if name_key(*name) not in used_names:
                used_names.add(name_key(*name))
                return name

    head_last, head_first, head_middle = spec["head"]
    used_names.add(name_key(head_last, head_first, head_middle))
    head = person(
        head_last,
        head_first,
        head_middle,
        datetime.date(1968 + spec["number"] % 7, 3 + spec["number"] % 9, 11),
        position="Директор",
        teaching_experience=31,
        org_experience=14,
        category=Category.HIGHEST,
        education="Высшее педагогическое",
        hired_on=datetime.date(2012, 8, 27),
        email=f"director@{spec['slug']}.example.ru",
        status=St.ACTIVE,
        levels=",".join([P, B, S]),
    )
    curator_name = random_name(female=True)
    curator = person(
        *curator_name,
        datetime.date(1979, 10, 4 + spec["number"]),
        position="Заместитель директора по учебно-воспитательной работе",
        subjects=("Русский язык", "Литература"),
        teaching_experience=22,
        org_experience=9,
        category=Category.HIGHEST,
        mentor_title_since=datetime.date(2024, 12, 20),
        education="Высшее педагогическое",
        hired_on=datetime.date(2016, 8, 29),
        email=f"curator@{spec['slug']}.demo",
        phone="+7 (910) 555-01-0" + str(spec["number"] % 10),
        levels=",".join([B, S]),
    )
    weights = [p.weight for p in POSITIONS]
    young: list[Person] = []
    newcomers: list[Person] = []
    experienced: list[Person] = []
    for index in range(spec["staff"] - 2):
        pos = rng.choices(POSITIONS, weights=weights)[0]
        female = rng.random() < pos.female_share
        is_young = index % 9 == 3  # about one in nine: young specialists in their first years
        if is_young:
            age = rng.randint(22, 27)
            experience = rng.randint(0, 2)
        else:
            age = rng.randint(28, 64)
            experience = max(3, min(age - 22, int(rng.triangular(3, age - 22, (age - 22) * 0.8))))
        birth = datetime.date(REF_YEAR - age, rng.randint(1, 12), rng.randint(1, 28))
        org_exp = min(experience, rng.randint(0, 20))
        if is_young:
            category = Category.NONE
        elif experience < 5:
            category = rng.choice([Category.NONE, Category.CONFORMITY])
        else:
            category = rng.choices(
                [Category.CONFORMITY, Category.FIRST, Category.HIGHEST], weights=[2, 4, 3]
            )[0]
        status = St.ACTIVE
        if index % 23 == 11:
            status = St.LEAVE
        elif index % 29 == 17:
            status = St.ARCHIVED
        last, first, middle = random_name(female)
        translit = f"t{spec['number']}-{index + 1:03d}"
        p = person(
            last,
            first,
            middle,
            birth,
            position=pos.position,
            subjects=pos.subjects,
            levels=",".join(pos.levels),
            teaching_experience=experience,
            org_experience=org_exp,
            category=category,
            mentor_title_since=(
                datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28))
                if category == Category.HIGHEST and index % 4 == 0
                else None
            ),
            hired_on=datetime.date(today.year - org_exp, 8, rng.randint(20, 31)),
            education=rng.choice(EDUCATION) if not is_young else "Высшее педагогическое",
            is_young_specialist=is_young,
            email=f"{translit}@{spec['slug']}.example.ru",
            phone=f"+7 (9{rng.randint(10, 99)}) {rng.randint(100, 999)}-"
            f"{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            status=status,
            archived_at=(
                datetime.datetime(REF_YEAR, 6, 30, 12, tzinfo=datetime.UTC)
                if status == St.ARCHIVED
                else None
            ),
        )
        if status == St.ACTIVE and is_young:
            young.append(p)
        elif status == St.ACTIVE and (experience <= 6 or org_exp == 0):
            newcomers.append(p)  # few years in teaching or new to this school
        elif (
            status == St.ACTIVE
            and experience >= 10
            and category in (Category.FIRST, Category.HIGHEST)
        ):
            experienced.append(p)
    return {
        "head": head,
        "curator": curator,
        "young": young,
        "newcomers": newcomers,
        "experienced": experienced,
        "all": people,
    }


def _roles(school: Organisation, slug: str, people: dict) -> None:
    def link(person: Person, email: str, role: str) -> None:
        user = _user(email, person.full_name, school, role)
        if person.user_id != user.pk:
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])

    link(people["head"], f"head@{slug}.demo", Role.HEAD)
    link(people["curator"], f"curator@{slug}.demo", Role.CURATOR)
    for index, person in enumerate(people["experienced"][:3], start=1):
        link(person, f"mentor{index}@{slug}.demo", Role.MENTOR)
    for index, person in enumerate(people["young"][:3], start=1):
        link(person, f"mentee{index}@{slug}.demo", Role.MENTEE)


def _consents(people: dict, rng: random.Random, today: datetime.date) -> None:
    mentors = {p.pk for p in people["experienced"][:12]}
    young = {p.pk for p in people["young"] + people["newcomers"][:8]}
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 2)
    for index, person in enumerate(people["all"]):
        if person.status == St.ARCHIVED:
            continue
        kinds = []
        if index % 7 != 5:  # about 85 % gave the processing consent
            kinds.append(ConsentKind.PROCESSING)
        if index % 2 == 0:
            kinds.append(ConsentKind.DISTRIBUTION)
        if person.pk in mentors:
            kinds.append(ConsentKind.DUTIES_MENTOR)
        if person.pk in young:
            kinds.append(ConsentKind.DUTIES_MENTEE)
        for kind in kinds:
            given = start + datetime.timedelta(days=rng.randint(0, 20))
            until = None
            if kind == ConsentKind.DISTRIBUTION and index % 10 == 4:
                until = today + datetime.timedelta(days=rng.randint(5, 25))  # expiring soon
            elif kind != ConsentKind.PROCESSING:
                until = datetime.date(start.year + 1, 8, 31)
            allowed = []
            conditions = ""
            if kind == ConsentKind.DISTRIBUTION:
                allowed = [DistributionItem.NAME, DistributionItem.POSITION]
                if index % 4 == 0:
                    allowed += [DistributionItem.PHOTO, DistributionItem.ACHIEVEMENTS]
                else:
                    conditions = "Фотографии не публиковать."
            withdrawn = None
            note = ""
            if kind == ConsentKind.PROCESSING and index % 31 == 13:
                withdrawn = datetime.datetime.combine(
                    today - datetime.timedelta(days=3), datetime.time(12), tzinfo=datetime.UTC
                )
                note = "Заявление об отзыве согласия"
            Consent.objects.update_or_create(
                person=person,
                kind=kind,
                defaults={
                    "purpose": DEFAULT_PURPOSE[kind],
                    "data_list": DEFAULT_DATA[kind],
                    "allowed_items": [str(a) for a in allowed],
                    "conditions": conditions,
                    "given_on": given,
                    "valid_until": until,
                    "method": ConsentMethod.PAPER if index % 3 else ConsentMethod.ELECTRONIC,
                    "withdrawn_at": withdrawn,
                    "withdrawal_note": note,
                },
            )


def _surveys(
    school: Organisation,
    people: dict,
    rng: random.Random,
    today: datetime.date,
    *,
    mentor_invites: int,
) -> None:
    """Shipped questionnaires, one campaign each (young specialists / experienced teachers),
    with answers from most of the invited people."""
    mentee_template, mentor_template = install_shipped(org=school)
    competencies = list(school.competencies.filter(is_active=True))
    plans = [
        (
            mentee_template,
            "Запросы педагогов на 2026/2027 учебный год",
            people["young"] + people["newcomers"][:8],
            "needs",
        ),
        (
            mentor_template,
            "Анкета наставника 2026/2027",
            people["experienced"][:mentor_invites],
            "strengths",
        ),
    ]
    for template, title, invited, grid_kind in plans:
        campaign, created = Campaign.objects.get_or_create(
            organisation=school,
            title=title,
            defaults={"template": template, "deadline": today + datetime.timedelta(days=21)},
        )
        if not created:
            continue
        questions = list(template.questions.all())
        for index, person in enumerate(invited):
            invitation = Invitation.objects.create(campaign=campaign, person=person)
            if index % 5 == 4:
                continue  # some have not answered yet
            for question in questions:
                value = _demo_answer(question, competencies, rng, grid_kind)
                if value is not None:
                    Answer.objects.create(invitation=invitation, question=question, value=value)
            if index % 5 != 3:
                invitation.submitted_at = timezone.now()
                invitation.save(update_fields=["submitted_at"])
                profile_from_invitation(invitation=invitation)


def _demo_answer(question, competencies, rng: random.Random, grid_kind: str):
    if question.kind == "single":
        return rng.choice(question.choices[:2])
    if question.kind == "multiple":
        return rng.sample(question.choices, k=min(2, len(question.choices)))
    if question.kind == "scale":
        return rng.randint(max(question.scale_min, question.scale_max - 4), question.scale_max)
    if question.kind == "grid":
        high = 5 if grid_kind == "strengths" else 4
        return {str(c.pk): rng.randint(1, high) for c in competencies}
    if question.kind == "text" and question.profile_field == "motivation":
        return rng.choice(MENTOR_MOTIVATIONS if grid_kind == "strengths" else MENTEE_EXPECTATIONS)
    return None


MENTEE_EXPECTATIONS = [
    "Хочу увереннее вести уроки и работать с родителями.",
    "Нужна помощь с рабочими программами и электронным журналом.",
    "Жду разборов моих уроков и совместного планирования.",
]
MENTOR_MOTIVATIONS = [
    "Хочу передать опыт молодым коллегам.",
    "Наставничество помогает мне самому расти профессионально.",
    "Готовлюсь к категории «педагог-наставник».",
]


def _units(school: Organisation, people: dict, today: datetime.date) -> None:
    """A couple of pairs and a group formed from the banks (skipped if any exist)."""
    if MentoringUnit.objects.of(school).exists():
        return
    ensure_dictionaries(org=school)
    pairing = PairingType.objects.of(school).first()
    single = FormatType.objects.of(school).filter(is_group=False).first()
    group = FormatType.objects.of(school).filter(is_group=True).first()
    mentors = [
        p.person
        for p in Profile.objects.of(school).filter(kind="mentor").select_related("person__user")
    ]
    mentees = [
        p.person
        for p in Profile.objects.of(school).filter(kind="mentee").select_related("person__user")
    ]
    ensure_programme_templates(org=school)
    templates = list(ProgrammeTemplate.objects.of(school).order_by("pk"))
    # People with demo logins first, so mentor1/mentee1 see their pair after logging in.
    mentors.sort(key=lambda p: (p.user_id is None, p.user.email if p.user_id else p.last_name))
    mentees.sort(key=lambda p: (p.user_id is None, p.user.email if p.user_id else p.last_name))
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 10, 1)
    end = start + datetime.timedelta(days=240)
    # Two pairs and a group; whoever breaks a rule (no consent, no capacity) is skipped and
    # stays in the bank — exactly what a curator would see.
    wanted = [(single, 1), (single, 1), (group, 2)]
    queue = list(mentees)
    for form, size in wanted:
        unit = None
        for mentor in mentors:
            chosen = queue[:size]
            if len(chosen) < size:
                break
            try:
                unit = create_unit(
                    org=school, mentor=mentor, co_mentor=None, mentees=chosen,
                    pairing=pairing, format=form, start=start, end=end, created_by=None,
                )  # fmt: skip
            except UnitRuleError:
                continue
            break
        if unit is None:
            queue = queue[size:]  # these mentees cannot be paired now: try the next ones
            continue
        queue = queue[size:]
        activate_unit(unit=unit)
        template = templates[2] if form.is_group else templates[0]
        apply_template(programme=programme_for(unit), template=template, by=None)


def _matching(school: Organisation, spec: dict, today: datetime.date) -> None:
    """One stored proposal for the mentees still without a pair (skipped if any run exists);
    confirmed into pairs where the spec says so."""
    pool = build_pool([school.pk], academic_year())
    if spec.get("self_choice"):
        MatchingSettings.objects.update_or_create(
            organisation=school, defaults={"self_choice": True}
        )
        # A mentee still without a pair logs in and chooses a mentor.
        waiting = [m.id for m in pool.mentees if m.id not in pool.busy_mentees]
        chooser = Person.objects.filter(pk__in=waiting).order_by("last_name", "pk").first()
        if chooser is not None and chooser.user_id is None:
            chooser.user = _user(
                f"choose@{spec['slug']}.demo", chooser.full_name, school, Role.MENTEE
            )
            chooser.save(update_fields=["user"])
    if MatchingRun.objects.of(school).exists():
        return
    settings = ensure_dictionaries(org=school)
    try:
        run = start_run(
            org=school,
            user=None,
            pool=pool,
            data=RunInput(
                mentee_ids=pool.default_mentee_ids(),
                mentor_ids=pool.default_mentor_ids(),
                weights=default_weights(school),
                min_mentor_experience=settings.min_mentor_experience,
                objective="count_then_score",
                pinned=[],
                forbidden=[],
            ),
        )
    except ProblemError:
        return  # nobody left to match in this school: nothing to show
    if spec.get("confirm_matching"):
        with contextlib.suppress(ConfirmError):
            confirm(
                run,
                user=None,
                data=ConfirmInput(
                    grouping="pairs",
                    pairing=PairingType.objects.of(school).first(),
                    format=FormatType.objects.of(school).filter(is_group=False).first(),
                    group_format=None,
                    start=today,
                    end=today + datetime.timedelta(days=182),
                ),
            )


def _documents(school: Organisation, today: datetime.date) -> None:
    """The Положение order (on signing), the curator's appointment and the pairs order for
    the units whose participants gave written consent (skipped if the school has documents)."""
    if Document.objects.of(school).exists():
        return
    day = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    polozhenie = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=day)
    set_status(polozhenie, DocStatus.SIGNING, by=None)
    with contextlib.suppress(DocumentRuleError):
        issue(org=school, kind=DocKind.CURATOR, by=None, day=day)
    units = units_for_order(
        school, list(MentoringUnit.objects.of(school).values_list("pk", flat=True))
    )
    ready = [u.pk for u in units if not missing_duties_consents([u], today)]
    if ready:
        issue(org=school, kind=DocKind.PAIRS, by=None, day=today, unit_ids=ready)


def _roadmap(school: Organisation, today: datetime.date) -> None:
    """The default plan; the first stages' items that ended are marked as held."""
    year = academic_year(today)
    items = ensure_roadmap(school, year, today=year_bounds(year)[0])  # began in September
    for item in items:
        if item.stage <= 3 and item.end < today and item.done_on is None:
            item.done_on = item.end
            item.save(update_fields=["done_on"])


def _events_and_library(school: Organisation, people: dict, today: datetime.date) -> None:
    """A held установочная сессия with attendance and a material, an upcoming seminar, and a
    few library materials (skipped if the school has events)."""
    if Event.objects.of(school).exists():
        return
    moment = datetime.datetime.combine(
        datetime.date(today.year if today.month >= 9 else today.year - 1, 10, 15),
        datetime.time(14, 0),
        tzinfo=datetime.UTC,
    )
    session = Event.objects.create(
        organisation=school, kind=EventKind.SESSION, title="Установочная сессия наставников",
        starts_at=moment, ends_at=moment + datetime.timedelta(hours=2), place="Актовый зал",
        audience=EventAudience.MENTORS, programme="Роли наставника и наставляемого; ПНП; "
        "дневник встреч; ответы на вопросы.", speakers="куратор наставничества",
        resolutions="Наставникам до конца месяца составить ПНП вместе с наставляемыми.",
        is_public=True,
    )  # fmt: skip
    mentors = people["experienced"][:6]
    Participant.objects.bulk_create(
        Participant(event=session, person=p, attended=i != 2) for i, p in enumerate(mentors)
    )
    upcoming = timezone.now() + datetime.timedelta(days=14)
    Event.objects.create(
        organisation=school, kind=EventKind.SEMINAR, title="Семинар «Современный урок: разбор "
        "в паре»", starts_at=upcoming.replace(hour=13, minute=30, second=0, microsecond=0),
        ends_at=upcoming.replace(hour=15, minute=0, second=0, microsecond=0),
        place="Кабинет 21", audience=EventAudience.PAIRS, is_public=True,
    )  # fmt: skip
    for title, annotation, kind in (
        ("Памятка наставнику: первые две недели молодого специалиста",
         "Что обсудить на первой встрече, как составить ПНП, как вести дневник.", "material"),
        ("Классное руководство: разбор трудных ситуаций",
         "Кейсы классного руководителя и как их решали наставнические пары.", "material"),
        ("Взаимопосещение уроков в паре",
         "Практика еженедельного разбора уроков: результаты за полугодие.", "practice"),
    ):  # fmt: skip
        save_material(
            Material(
                organisation=school, kind=kind, title=title, annotation=annotation,
                body=annotation, status="published", source_event=session,
                author="Куратор наставничества",
            ),
            by=None,
        )  # fmt: skip


def _publicity(school: Organisation, people: dict) -> None:
    """An open public page with the curator's contacts, the held session's news published,
    the best practice public, and a draft naming a teacher without a distribution consent
    (publishing it is refused). Skipped if the school has posts beyond proposals."""
    page = page_for(school)
    if Post.objects.of(school).exclude(status=PostStatus.PROPOSED).exists():
        return
    page.is_published = True
    page.contact_position = "Куратор наставничества"
    page.contact_email = f"curator@{school.slug}.demo"
    page.contact_phone = school.phone
    page.save()
    Material.objects.of(school).filter(kind="practice").update(visibility="public")
    session = Event.objects.of(school).filter(kind=EventKind.SESSION).first()
    if session is not None:
        post = propose_for_event(session) or Post.objects.of(school).get(
            proposal_key=f"event:{session.pk}"
        )
        post.title = "Прошла установочная сессия наставников"
        post.status = PostStatus.DRAFT
        post.save()
        publish(post, now=session.ends_at + datetime.timedelta(days=1))
    unconsented = next(
        (
            p
            for p in people["experienced"]
            if not Consent.objects.valid().filter(person=p, kind=ConsentKind.DISTRIBUTION).exists()
        ),
        None,
    )
    if unconsented is not None:
        Post.objects.create(
            organisation=school,
            title="Открытый урок наставника",
            body=sanitize(
                "Молодые специалисты побывали на открытом уроке. Урок провёл наставник — "
                f"{unconsented.full_name}."
            ),
            status=PostStatus.DRAFT,
        )


def _publicity_above(municipality: Organisation, region: Organisation, school) -> None:
    """The municipality's and the region's pages are open; the municipality re-published the
    first school's news."""
    for org in (municipality, region):
        page = page_for(org)
        page.is_published = True
        page.about = (
            f"{org.name} координирует систему наставничества педагогических работников в "
            "подведомственных образовательных организациях: нормативные документы, сетевое "
            "наставничество, методическое сопровождение, мониторинг и лучшие практики."
        )
        page.contact_position = "Методист по наставничеству"
        page.save()
    news = Post.objects.of(school).filter(status=PostStatus.PUBLISHED).first()
    if news is not None:
        repost(news, municipality, by=None)


def _feedback(school: Organisation, rng: random.Random) -> None:
    """Start and end questionnaires of the first pair, answered: the dashboard shows
    satisfaction and competence growth (skipped if the pair has them)."""
    unit = MentoringUnit.objects.of(school).order_by("pk").first()
    if unit is None or Campaign.objects.filter(unit=unit).exists():
        return
    competencies = list(school.competencies.filter(is_active=True)[:6])
    for phase, satisfaction, level in (("start", 7, 0), ("end", 9, 2)):
        for campaign in launch_feedback(unit, phase):
            for invitation in campaign.invitations.select_related("person"):
                for question in campaign.template.questions.all():
                    if question.kind == "scale":
                        value = satisfaction - rng.randint(0, 1)
                    elif question.kind == "grid":
                        value = {str(c.pk): min(5, 2 + rng.randint(0, 1) + level)
                                 for c in competencies}  # fmt: skip
                    else:
                        continue
                    Answer.objects.update_or_create(
                        invitation=invitation, question=question, defaults={"value": value}
                    )  # the «before» self-assessment is pre-filled from the needs
                invitation.submitted_at = timezone.now()
                invitation.save(update_fields=["submitted_at"])


def _pay_rule(school: Organisation, today: datetime.date) -> None:
    """The extra pay of the school's Положение об оплате труда: 3 000 ₽ a mentee, at most two."""
    if PayRule.objects.of(school).exists():
        return
    PayRule.objects.create(
        organisation=school, valid_from=datetime.date(academic_year_start(today), 9, 1),
        per_mentee=3000, max_mentees=2, source="Положение об оплате труда, п. 4.7",
    )  # fmt: skip


def academic_year_start(today: datetime.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _monitoring_form(municipality: Organisation, schools, today: datetime.date) -> None:
    """The municipality's half-year form with the federal indicators, sent by all three
    schools (skipped if the municipality has a form)."""
    if MonitoringForm.objects.of(municipality).exists():
        return
    form = regional.create_form(
        org=municipality, title="Мониторинг наставничества: I полугодие", year=academic_year(today),
        deadline=today + datetime.timedelta(days=14),
        codes=[*regional.FEDERAL, "M01", "M02", "M03", "M09"], by=None,
    )  # fmt: skip
    for school in schools:
        curator = Membership.objects.filter(organisation=school, role=Role.CURATOR).first()
        regional.save_review(
            form=form, school=school, submit=True, today=today,
            by=curator.user if curator else None,
            comments={"F05": "Наставники — педагоги с первой и высшей категорией."}
            if school is schools[0] else {},
        )  # fmt: skip


def _notices_for(role: str, school: Organisation, user: User, today: datetime.date) -> list:
    """A few notifications a person in `role` would have received by now: (kind, context)."""
    day = f"{today + datetime.timedelta(days=3):%d.%m.%Y}"
    org = {"org_id": school.pk, "org": school.short_name}
    person = getattr(user, "person", None)
    unit = (
        MentoringUnit.objects.of(school)
        .filter(Q(mentor=person) | Q(members__mentee=person))
        .select_related("mentor")
        .first()
        if person
        else None
    ) or MentoringUnit.objects.of(school).select_related("mentor").first()
    units = {"unit_id": unit.pk, "mentor": unit.mentor.short_name} if unit else {}
    task = Task.objects.filter(programme__unit=unit).order_by("deadline", "pk").first()
    if task is not None:
        units["task_id"] = task.pk
    document = Document.objects.of(school).first()
    docs = {"document_id": document.pk, "document": document.title, "number": document.number,
            "date": f"{document.date:%d.%m.%Y}"} if document else {}  # fmt: skip
    post = Post.objects.of(school).first()
    posts = {"post_id": post.pk, "post": post.title} if post else {}
    consent = Consent.objects.of(school).select_related("person").first()
    consents = {"consent_id": consent.pk, "consent": consent.get_kind_display(),
                "person": consent.person.short_name, "until": day} if consent else {}  # fmt: skip
    return {
        Role.HEAD: [("document_signing", {**org, **docs}), ("document_signed", {**org, **docs}),
                    ("news_proposed", {**org, **posts})],
        Role.CURATOR: [("unit_quiet", {**org, **units, "days_text": "22 дня", "last": "09.11"}),
                       ("consent_expiring", {**org, **consents}),
                       ("news_proposed", {**org, **posts}),
                       ("document_signed", {**org, **docs})],
        Role.MENTOR: [("task_overdue", {**org, **units, "task": "Посещение урока", "due": day}),
                      ("meeting_tomorrow", {**org, **units, "topic": "Встреча: разбор урока",
                                            "date": day}),
                      ("fit_check", {**org, **units, "date": day}),
                      ("event_reminder", {**org, "event": "Установочная сессия наставников",
                                          "when": f"{day} в 15:00, актовый зал"})],
        Role.MENTEE: [("task_due", {**org, **units, "task": "Открытый урок", "due": day}),
                      ("unit_formed", {**org, **units, "mentees": user.full_name,
                                       "unit_word": "пара", "start": "01.09", "end": "31.05"}),
                      ("event_invitation", {**org, "event": "Школа молодого педагога",
                                            "when": f"{day} в 14:30, каб. 21"})],
    }.get(role, [])  # fmt: skip


def _notifications(school: Organisation, today: datetime.date) -> None:
    """Demo notifications for each role of the school: the older half read, the rest unread."""
    now = timezone.now()
    for membership in Membership.objects.of(school).select_related("user__person"):
        user = membership.user
        notices = _notices_for(membership.role, school, user, today)
        for index, (code, context) in enumerate(notices):
            spec = notification_kind(code)
            try:
                title, text = spec.render(context)
                url = spec.path(context)
                actions = [list(a) for a in spec.action_paths(context)]
            except (KeyError, NoReverseMatch):
                continue  # the school has no such object in the demo
            Notification.objects.get_or_create(
                recipient=user, key=f"demo:{code}:{index}",
                defaults={
                    "organisation": school, "kind": code, "title": title, "text": text,
                    "url": url, "priority": spec.priority,
                    "actions": actions,
                    "read_at": now if index >= 2 else None,
                },
            )  # fmt: skip
