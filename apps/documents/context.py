"""What a document template receives: the school, people with their names and positions in
every case, units, the Положение limits. Every placeholder is listed in PLACEHOLDERS (shown to
schools that upload their own templates)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import F, Prefetch, Q

from apps.core.declension import (
    Case,
    Gender,
    decline_name,
    decline_org_name,
    decline_position,
    guess_gender,
    initials_name,
)
from apps.core.text import lower_first
from apps.documents.models import DocumentSettings
from apps.orgs.choices import Role
from apps.orgs.models import Membership, Organisation
from apps.people.choices import ConsentKind
from apps.people.models import Consent, Person
from apps.programs.models import MentoringUnit, ProgramSettings, UnitMember, UnitStatus

MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
CASES = {
    "nom": Case.NOMINATIVE,
    "gen": Case.GENITIVE,
    "dat": Case.DATIVE,
    "acc": Case.ACCUSATIVE,
    "ins": Case.INSTRUMENTAL,
}


class DocumentRuleError(Exception):
    """The document cannot be issued; `messages` say why, in Russian, naming people."""

    def __init__(self, messages: Sequence[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


def date_words(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year} г."  # ГОСТ Р 7.0.97: «24 ноября 2026 г.»


def person_context(person: Person, warnings: list[str]) -> dict:
    """`name.acc` — «Иванову Марию Петровну», `position.ins` — «учителем математики», …"""
    gender = Gender(person.gender) if person.gender else guess_gender(person.middle_name)
    if not person.gender:
        if gender is None:
            warnings.append(
                f"{person.full_name}: в реестре не указан пол и его не определить по отчеству — "
                "ФИО оставлено в именительном падеже, проверьте текст."
            )
        else:
            warnings.append(
                f"{person.full_name}: в реестре не указан пол — ФИО склонено по отчеству, "
                "проверьте и укажите пол в карточке сотрудника."
            )
    names, short, positions = {}, {}, {}
    for key, case in CASES.items():
        if gender is None:
            names[key] = person.full_name
            short[key] = person.short_name
        else:
            declined = decline_name(
                person.last_name, person.first_name, person.middle_name, gender, case
            )
            names[key] = declined.text
            short[key] = initials_name(
                person.last_name, person.first_name, person.middle_name, gender, case
            )
            if not declined.exact and key == "nom":
                pass
            elif not declined.exact and f"{person.full_name}:" not in " ".join(warnings):
                warnings.append(
                    f"{person.full_name}: {declined.note} — оставлено в именительном падеже."
                )
        position = (person.position or "").strip()
        positions[key] = decline_position(position[:1].lower() + position[1:], case).text
    return {
        "name": names,
        "short": short,
        "position": positions,
        "gender": gender.value if gender else "",
        "ending": "ая" if gender is Gender.FEMALE else "ый",  # «именуемая/именуемый»
    }


def signature_name(full_name: str) -> str:
    """«Е. В. Морозова» from «Морозова Елена Викторовна» — the расшифровка подписи."""
    parts = full_name.split()
    return " ".join([f"{p[0]}." for p in parts[1:3]] + parts[:1])


VISA_DASHES = ("—", "–", "|")


def parse_visas(text: str) -> list[tuple[str, str]]:
    """(position, full name) per line «Должность — ФИО»; a line without both raises ValueError
    naming the line (the settings form shows it)."""
    visas = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        for dash in VISA_DASHES:
            position, sep, name = line.partition(dash)
            if sep:
                break
        if not sep or not position.strip() or len(name.split()) < 2:
            raise ValueError(
                f"Строка {number} «{line.strip()[:80]}»: нужно «должность — фамилия имя "
                "отчество», например «Заместитель директора по УВР — Иванова Анна Петровна»."
            )
        visas.append((position.strip(), " ".join(name.split())))
    return visas


def visas_context(text: str) -> list[dict]:
    try:
        visas = parse_visas(text)
    except ValueError:
        return []  # the form refuses such text; a stored one from before prints no visas
    return [{"position": p, "short": signature_name(n)} for p, n in visas]


def school_context(org: Organisation, warnings: list[str]) -> dict:
    head_short = ""
    if org.head_name:
        head_short = signature_name(org.head_name)  # «Е. В. Морозова» under a signature
    else:
        warnings.append("В сведениях об организации не указано ФИО руководителя.")
    head_words = (org.head_name or "").split()
    head_gender = guess_gender(head_words[2]) if len(head_words) > 2 else None
    head_name_gen = org.head_name
    if head_gender and len(head_words) >= 2:
        head_name_gen = decline_name(
            head_words[0], head_words[1], " ".join(head_words[2:]), head_gender, Case.GENITIVE
        ).text
    position = (org.head_position or "Директор").strip()
    return {
        "full_name": org.name,
        "short_name": org.short_name,
        # «Положение … работников Школы № 1», «оператору — Муниципальному …», «в Муниципальном …»
        "short_gen": decline_org_name(org.short_name, Case.GENITIVE).text,
        "name_gen": org.name_in("gen"),
        "name_dat": org.name_in("dat"),
        "name_loc": org.name_in("loc"),
        "city": org.city,
        "address": org.address,
        "inn": org.inn,
        "head_position": position,
        "head_position_gen": decline_position(position.lower(), Case.GENITIVE).text,
        "head_name": org.head_name,
        "head_name_gen": head_name_gen,
        "head_acting": "действующей" if head_gender is Gender.FEMALE else "действующего",
        "head_short": head_short,
    }


def limits_context(org: Organisation) -> dict:
    settings = ProgramSettings.objects.of(org).first() or ProgramSettings()
    return {
        "max_mentees_per_mentor": settings.max_mentees_per_mentor,
        "min_mentor_experience": settings.min_mentor_experience,
        "min_months": settings.min_months,
        "max_months": settings.max_months,
    }


def curator_person(org: Organisation) -> Person | None:
    membership = (
        Membership.objects.of(org)
        .filter(role=Role.CURATOR, user__person__isnull=False)
        .select_related("user__person")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.user.person if membership else None


def _protocol(number: str, day: datetime.date | None) -> dict:
    """«протокол от 28.08.2026 № 1», or blanks to fill in by hand when not set."""
    return {
        "number": number or "___",
        "date": day.strftime("%d.%m.%Y") if day else "____________",
        "known": bool(number and day),
    }


def base_context(org: Organisation, *, number: str, day: datetime.date, warnings: list[str]):
    doc_settings = DocumentSettings.objects.of(org).first() or DocumentSettings()
    curator = curator_person(org)
    return {
        "school": school_context(org, warnings),
        "doc": {"number": number, "date": day.strftime("%d.%m.%Y"), "date_words": date_words(day)},
        "settings": limits_context(org),
        "extra_pay": doc_settings.extra_pay,
        "curator": person_context(curator, warnings) if curator else None,
        "council": _protocol(
            doc_settings.council_protocol_number, doc_settings.council_protocol_date
        ),
        "union": (
            {
                "name": doc_settings.union_name,
                "name_gen": decline_position(doc_settings.union_name, Case.GENITIVE).text,
                **_protocol(doc_settings.union_opinion_number, doc_settings.union_opinion_date),
            }
            if doc_settings.union_name.strip()
            else None
        ),
        "visas": visas_context(doc_settings.visas),
        # Отметка об исполнителе: the curator prepares the orders.
        "executor": {"name": curator.full_name, "phone": curator.phone} if curator else None,
    }


def units_for_order(org: Organisation, unit_ids: Sequence[int]) -> list[MentoringUnit]:
    """The units with their members: those still in, or — for an ended unit — those who were
    in on its last day (end_unit closes every membership; a mentee who left earlier is out)."""
    in_at_end = Q(is_open=True) | Q(
        unit__status__in=(UnitStatus.COMPLETED, UnitStatus.TERMINATED), left_on=F("unit__ended_on")
    )
    return list(
        MentoringUnit.objects.of(org)
        .filter(pk__in=unit_ids)
        .select_related("mentor", "co_mentor", "format", "pairing")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=UnitMember.objects.filter(in_at_end).select_related("mentee"),
            )
        )
        .order_by("mentor__last_name", "mentor__first_name", "pk")
    )


def missing_duties_consents(units: Sequence[MentoringUnit], day: datetime.date) -> list[str]:
    """ст. 351.8 ТК РФ: no order without the written consent of each participant."""
    mentors = {u.mentor for u in units} | {u.co_mentor for u in units if u.co_mentor}
    mentees = {m.mentee for u in units for m in u.members.all()}
    valid = set(
        Consent.objects.valid(day)
        .filter(person__in=[*mentors, *mentees])
        .values_list("person_id", "kind")
    )
    problems = []
    for person in sorted(mentors, key=lambda p: p.full_name):
        if (person.pk, ConsentKind.DUTIES_MENTOR) not in valid:
            problems.append(
                f"{person.full_name} (наставник): нет письменного согласия на выполнение "
                "дополнительных обязанностей наставника."
            )
    for person in sorted(mentees, key=lambda p: p.full_name):
        if (person.pk, ConsentKind.DUTIES_MENTEE) not in valid:
            problems.append(
                f"{person.full_name} (наставляемый): нет согласия на участие в программе "
                "наставничества."
            )
    return problems


def units_context(units: Sequence[MentoringUnit], warnings: list[str]) -> list[dict]:
    rows = []
    for index, unit in enumerate(units, start=1):
        mentees = [m.mentee for m in unit.members.all()]
        rows.append(
            {
                "n": index,
                "mentor": person_context(unit.mentor, warnings),
                "co_mentor": person_context(unit.co_mentor, warnings) if unit.co_mentor else None,
                "mentees": [person_context(m, warnings) for m in mentees],
                "format": unit.format.name,
                "pairing": unit.pairing.name,
                # In a sentence: «форма наставничества — педагог – педагог, вид — групповое».
                "form": lower_first(unit.pairing.name),
                "kind": lower_first(unit.format.name),
                "start": unit.start_date.strftime("%d.%m.%Y"),
                "end": unit.end_date.strftime("%d.%m.%Y"),
                "is_group": len(mentees) > 1,
            }
        )
    return rows


PLACEHOLDERS: list[tuple[str, str]] = [
    ("{{ school.full_name }}", "полное наименование организации"),
    ("{{ school.short_name }}", "краткое наименование"),
    ("{{ school.city }}", "населённый пункт"),
    ("{{ school.head_position }} / {{ school.head_name }}", "должность и ФИО руководителя"),
    ("{{ school.head_short }}", "«Е. В. Морозова» — под подписью"),
    ("{{ school.head_position_gen }} {{ school.head_name_gen }}, {{ school.head_acting }}",
     "«в лице директора Морозовой …, действующей на основании Устава»"),
    ("{{ doc.number }}, {{ doc.date }}, {{ doc.date_words }}", "номер и дата документа"),
    ("{{ settings.max_mentees_per_mentor }}, {{ settings.min_mentor_experience }}, "
     "{{ settings.min_months }}, {{ settings.max_months }}", "ограничения из Положения"),
    ("{{ extra_pay }}", "формулировка о доплате наставнику"),
    ("{{ executor.name }}, {{ executor.phone }}", "отметка об исполнителе (куратор)"),
    ("{{ curator.name.acc }}, {{ curator.position.acc }}",
     "куратор (падежи: nom, gen, dat, acc, ins)"),
    ("{% for u in units %} … {% endfor %}", "пары и группы приказа о закреплении"),
    ("{{ u.mentor.name.ins }}, {{ u.mentor.position.ins }}", "наставник в творительном падеже"),
    ("{% for m in u.mentees %}{{ m.name.acc }}{% endfor %}", "наставляемые в винительном падеже"),
    ("{{ u.form }}, {{ u.kind }}, {{ u.start }}, {{ u.end }}",
     "форма и вид наставничества (со строчной буквы — для середины фразы) и срок"),
    ("{{ school.short_gen }}, {{ school.name_gen }}, {{ school.name_dat }}, "
     "{{ school.name_loc }}", "наименование в родительном, дательном, предложном падеже"),
    ("{% if polozhenie_order %}{{ polozhenie_order.date }} № {{ polozhenie_order.number }}"
     "{% endif %}", "подписанный приказ об утверждении Положения (если есть)"),
    ("{{ acquainted }}", "«ознакомлены» / «ознакомлен» / «ознакомлена» по числу и полу"),
    ("{{ person.name.nom }}, {{ person.ending }}",
     "сотрудник приказа о кураторе или доп. соглашения; «именуем{{ person.ending }}»"),
    ("{% for p in people %}{{ p }}{% endfor %}", "список для подписей «С приказом ознакомлены»"),
    ("{% for m in mentees %}{{ m.name.gen }}{% endfor %}, {{ start }}, {{ end }}",
     "наставляемые и срок в доп. соглашении"),
]  # fmt: skip
