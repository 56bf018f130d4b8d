"""Use cases of documents: issue (number, render, store), statuses, signed scans, versions."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.declension import person_in
from apps.core.fonts import FONT
from apps.core.text import describe_control_character, lower_first, strip_unsafe
from apps.core.workdays import working_days_between
from apps.core.years import academic_year
from apps.documents import placeholders
from apps.documents.context import (
    DocumentRuleError,
    base_context,
    curator_person,
    missing_duties_consents,
    person_context,
    units_context,
    units_for_order,
)
from apps.documents.extensions import roadmap_rows
from apps.documents.models import (
    SERIES_OF_KIND,
    DocKind,
    DocStatus,
    Document,
    DocumentSettings,
    PolozhenieSection,
    SchoolTemplate,
    Series,
    SignedWith,
)
from apps.orgs.models import Organisation
from apps.people.models import Person
from apps.programs.models import MentoringUnit, UnitMember, UnitStatus
from apps.programs.services import launch_units

NUMBER_ATTEMPTS = 5
TITLES = {
    DocKind.POLOZHENIE: "Об утверждении Положения о системе наставничества педагогических "
    "работников",
    DocKind.PAIRS: "О закреплении наставнических пар (групп)",
    DocKind.CURATOR: "О назначении куратора наставничества",
    DocKind.AGREEMENT: "Дополнительное соглашение к трудовому договору",
    DocKind.COMPLETION: "О завершении персонализированных программ наставничества и поощрении "
    "наставников",
    DocKind.REPLACEMENT: "О замене наставника",
    DocKind.TERMINATION: "О досрочном прекращении наставничества",
    DocKind.AGREEMENT_END: "Дополнительное соглашение о прекращении работы по наставничеству",
    DocKind.PEP_RULES: "Об утверждении Положения об использовании простой электронной подписи",
    DocKind.PD_RESPONSIBLE: "О назначении ответственного за организацию обработки персональных "
    "данных",
    DocKind.PD_SYSTEMS: "Об утверждении перечня информационных систем персональных данных",
    DocKind.PD_NOTICE: "Уведомление об обработке персональных данных",
}


class DocumentStateError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def number_format(org: Organisation, series: str) -> str:
    settings = DocumentSettings.objects.of(org).first() or DocumentSettings()
    if series == Series.AGREEMENT:
        return settings.agreement_number_format
    if series == Series.OUTGOING:
        return "{n}-исх"
    return settings.order_number_format


def polozhenie_source(org: Organisation) -> list[tuple[str, list[str]]]:
    """The school's edited sections, or the shipped text."""
    own = [(s.title, s.paragraphs) for s in PolozhenieSection.objects.of(org)]
    if own:
        return own
    from apps.documents import content  # the long texts load only when a Положение is made

    return content.POLOZHENIE


def polozhenie_sections(org: Organisation, context: dict) -> list[dict]:
    # The sections are data: placeholders are substituted, nothing is parsed as a template.
    values = {"school": context["school"], "settings": context["settings"]}
    return [
        {"title": title, "paragraphs": [placeholders.fill(p, values) for p in paragraphs]}
        for title, paragraphs in polozhenie_source(org)
    ]


# What a Положение section may name (the keys of school_context and limits_context).
POLOZHENIE_FIELDS = {
    "school": {
        "full_name", "short_name", "city", "address", "inn", "head_position",
        "head_position_gen", "head_name", "head_name_gen", "head_acting", "head_short",
    },
    "settings": {"max_mentees_per_mentor", "min_mentor_experience", "min_months", "max_months"},
}  # fmt: skip


def check_section(title: str, text: str) -> str | None:
    """A Russian message when a section's text has anything but the allowed placeholders, or
    a control character."""
    for where, value in (("названии", title), ("тексте", text)):
        if found := describe_control_character(value):
            return (
                f"Раздел «{strip_unsafe(title)}»: в {where} невидимый управляющий символ "
                f"{found} — удалите его (он попадает при копировании из других программ)."
            )
    found = placeholders.problems(text, POLOZHENIE_FIELDS)
    if not found:
        return None
    listed = "; ".join(f"строка {p.line}: «{p.text}»" for p in found[:5])
    return (
        f"Раздел «{title}»: недопустимые поля или команды шаблона — {listed}. В тексте "
        "Положения допустимы только поля вида {{ school.full_name }} и "
        "{{ settings.max_months }} из списка ниже."
    )


@transaction.atomic
def save_polozhenie(*, org: Organisation, sections: list[tuple[str, str]]) -> None:
    """Replace the school's Положение text; all sections are checked first, nothing half-saved."""
    errors = [m for title, text in sections if (m := check_section(title, text))]
    if any(not title.strip() or not text.strip() for title, text in sections):
        errors.append("У каждого раздела должны быть название и текст.")
    if errors:
        raise DocumentRuleError(errors)
    PolozhenieSection.objects.of(org).delete()
    PolozhenieSection.objects.bulk_create(
        PolozhenieSection(organisation=org, order=i, title=title.strip(), text=text.strip())
        for i, (title, text) in enumerate(sections, start=1)
    )


def reset_polozhenie(*, org: Organisation) -> None:
    PolozhenieSection.objects.of(org).delete()


def render(template: bytes, context: dict) -> bytes:
    """docxtpl rendering in the sandbox; a broken or forbidden tag becomes a clear message."""
    # docxtpl, python-docx and jinja2 load with the first document, not with the pages.
    import jinja2
    from docxtpl import DocxTemplate

    from apps.documents import sandbox

    try:
        doc = DocxTemplate(io.BytesIO(template))
        doc.render(sandbox.plain(context), jinja_env=sandbox.environment(), autoescape=True)
    except jinja2.TemplateAssertionError as error:  # an unknown filter or test
        raise DocumentRuleError(
            [
                "Шаблон использует фильтр или проверку, недоступные шаблону документа. "
                "Используйте только поля и фильтры из списка на странице шаблонов."
            ]
        ) from error
    except jinja2.TemplateSyntaxError as error:
        raise DocumentRuleError(
            [f"В шаблоне ошибка в теге (строка {error.lineno}): {error.message}."]
        ) from error
    except jinja2.exceptions.SecurityError as error:
        raise DocumentRuleError(
            [
                "Шаблон обращается к служебным данным, которые шаблону документа недоступны. "
                "Используйте только поля и фильтры из списка на странице шаблонов."
            ]
        ) from error
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as error:
        raise DocumentRuleError(
            [
                "Шаблон не удалось заполнить: в нём неизвестное поле или неверный фильтр. "
                "Проверьте теги по списку полей на странице шаблонов."
            ]
        ) from error
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _people_list(units_rows: list[dict], curator: dict | None) -> list[str]:
    names: dict[str, None] = {}  # each name once, in the order of the order
    if curator:
        names[curator["name"]["nom"]] = None
    for u in units_rows:
        for person in [u["mentor"], *([u["co_mentor"]] if u["co_mentor"] else []), *u["mentees"]]:
            names.setdefault(person["name"]["nom"])
    return list(names)


def build_context(
    org: Organisation,
    kind: str,
    *,
    number: str,
    day: datetime.date,
    units: Sequence[MentoringUnit] = (),
    person: Person | None = None,
) -> tuple[dict, list[str]]:
    warnings: list[str] = []
    ctx = base_context(org, number=number, day=day, warnings=warnings)
    ctx["year"] = academic_year(day)
    ctx["polozhenie_order"] = polozhenie_in_force(org, day)
    if kind == DocKind.POLOZHENIE:
        ctx["polozhenie"] = polozhenie_sections(org, ctx)
        ctx["roadmap"] = roadmap_rows(org, ctx["year"])
        ctx["roadmap_groups"] = roadmap_groups(ctx["roadmap"])
        ctx["people"] = _staff_names(org)
        if not ctx["council"]["known"]:
            warnings.append(
                "Не указаны дата и номер протокола педагогического совета — в приказе оставлены "
                "пустые места; заполните их в «Документы → Нумерация и шаблоны»."
            )
        if ctx["union"] and not ctx["union"]["known"]:
            warnings.append(
                "Не указаны дата и номер мнения профсоюзной организации (ст. 372 ТК РФ) — в "
                "приказе оставлены пустые места."
            )
    elif kind == DocKind.PAIRS:
        ctx["units"] = units_context(units, warnings)
        warnings += [
            f"{u}: срок программы начинается {u.start_date:%d.%m.%Y} — раньше даты приказа "
            f"{day:%d.%m.%Y}. Укажите в паре дату не раньше приказа или датируйте приказ раньше."
            for u in units
            if u.start_date < day
        ]
        ctx["people"] = _people_list(ctx["units"], ctx["curator"])
    elif kind == DocKind.CURATOR:
        ctx["person"] = person_context(person, warnings)
        ctx["people"] = [ctx["person"]["name"]["nom"]]
    elif kind == DocKind.COMPLETION:
        ctx["units"] = units_context(units, warnings)
        ctx["people"] = _people_list(ctx["units"], None)
    elif kind == DocKind.REPLACEMENT:
        unit = units[0]
        change = unit.mentor_changes.select_related("old_mentor", "new_mentor").first()
        ctx["old"] = person_context(change.old_mentor, warnings)
        ctx["new"] = person_context(change.new_mentor, warnings)
        ctx["mentees"] = [person_context(m.mentee, warnings) for m in unit.members.all()]
        ctx["reason"] = change.reason.rstrip(".")
        ctx["reason_text"] = lower_first(ctx["reason"])
        ctx["changed_on"] = change.changed_on.strftime("%d.%m.%Y")
        if working_days_between(day, change.changed_on) < 3:
            warnings.append(
                f"Наставник освобождается {change.changed_on:%d.%m.%Y} — меньше чем через три "
                f"рабочих дня после приказа от {day:%d.%m.%Y}. По ст. 351.8 ТК РФ о досрочной "
                "отмене поручения предупреждают письменно не позднее чем за три рабочих дня; "
                "если замена — по заявлению наставника, приложите его заявление."
            )
        ctx["end"] = unit.end_date.strftime("%d.%m.%Y")
        ctx["people"] = [
            ctx["old"]["name"]["nom"], ctx["new"]["name"]["nom"],
            *[m["name"]["nom"] for m in ctx["mentees"]],
        ]  # fmt: skip
    elif kind == DocKind.TERMINATION:
        unit = units[0]
        (row,) = units_context([unit], warnings)
        ctx["mentor"], ctx["mentees"] = row["mentor"], row["mentees"]
        ctx["ended_on"] = unit.ended_on.strftime("%d.%m.%Y")
        ctx["reason_text"] = lower_first(unit.end_reason.strip().rstrip(".")) or ""
        ctx["pairs_order"] = pairs_order_of(org, [unit])
        if ctx["pairs_order"] is None:
            warnings.append(
                f"{unit}: нет приказа о закреплении этой пары — в приказе о прекращении "
                "не на что сослаться; если пару закрепляли приказом вне системы, впишите его."
            )
        if working_days_between(day, unit.ended_on) < 3:
            warnings.append(
                f"Наставничество прекращается {unit.ended_on:%d.%m.%Y} — меньше чем через три "
                f"рабочих дня после приказа от {day:%d.%m.%Y}. По ст. 351.8 ТК РФ о досрочной "
                "отмене поручения предупреждают письменно не позднее чем за три рабочих дня; "
                "если прекращение — по заявлению наставника, приложите его заявление."
            )
        ctx["people"] = [row["mentor"]["name"]["nom"], *[m["name"]["nom"] for m in row["mentees"]]]
    elif kind == DocKind.AGREEMENT_END:
        unit = units[0]
        ended_on, reason = ended_for(unit, person)
        ctx["person"] = person_context(person, warnings)
        ctx["mentees"] = [person_context(m.mentee, warnings) for m in unit.members.all()]
        ctx["ended_on"] = ended_on.strftime("%d.%m.%Y")
        ctx["reason_text"] = lower_first(reason.strip().rstrip("."))
        ctx["contract"] = {
            "number": person.contract_number,
            "date": person.contract_date.strftime("%d.%m.%Y") if person.contract_date else "",
        }
        ctx["agreement"] = agreement_of(org, person)
        if ctx["agreement"] is None:
            warnings.append(
                f"{person.full_name}: нет дополнительного соглашения о наставничестве в реестре — "
                "в соглашении о прекращении не на что сослаться; впишите его вручную."
            )
        ctx["people"] = [ctx["person"]["name"]["nom"]]
    elif kind == DocKind.AGREEMENT:
        ctx["person"] = person_context(person, warnings)
        members = [m for u in units for m in u.members.all() if m.is_open]
        ctx["mentees"] = [person_context(m.mentee, warnings) for m in members]
        ctx["start"] = min(u.start_date for u in units).strftime("%d.%m.%Y")
        ctx["end"] = max(u.end_date for u in units).strftime("%d.%m.%Y")
        ctx["form"] = "; ".join(dict.fromkeys(u["form"] for u in units_context(units, [])))
        ctx["kind"] = "; ".join(dict.fromkeys(u["kind"] for u in units_context(units, [])))
        ctx["contract"] = {
            "number": person.contract_number,
            "date": person.contract_date.strftime("%d.%m.%Y") if person.contract_date else "",
        }
        ctx["pairs_order"] = pairs_order_of(org, units)
        warnings += agreement_warnings(person, units, day, ctx)
    elif kind == DocKind.PEP_RULES:
        ctx["people"] = _staff_names(org)
    elif kind in (DocKind.PD_RESPONSIBLE, DocKind.PD_SYSTEMS, DocKind.PD_NOTICE):
        from apps.documents.pd_paperwork import pd_context

        if kind == DocKind.PD_RESPONSIBLE:
            ctx["person"] = person_context(person, warnings)
        pd_context(org, kind, ctx, warnings)
    ctx["acquainted"] = acquainted_word(ctx, kind)
    return ctx, warnings


def _staff_names(org: Organisation) -> list[str]:
    names = (
        Person.objects.of(org)
        .filter(status="active")
        .order_by("last_name", "first_name", "middle_name")
        .values_list("last_name", "first_name", "middle_name")
    )
    return [" ".join(p for p in name if p) for name in names]


def acquainted_word(ctx: dict, kind: str) -> str:
    """«С приказом ознакомлены:» for several people, «ознакомлен(а)» for one."""
    people = ctx.get("people") or []
    if len(people) != 1:
        return "ознакомлены"
    person = ctx.get("person") or {}
    return "ознакомлена" if person.get("gender") == "female" else "ознакомлен"


def check_request(
    org: Organisation, kind: str, *, units: Sequence[MentoringUnit], person: Person | None,
    day: datetime.date,
) -> None:  # fmt: skip
    errors: list[str] = []
    if kind == DocKind.PAIRS:
        if not units:
            errors.append("Выберите хотя бы одну пару или группу.")
        errors += missing_duties_consents(units, day)
    if kind == DocKind.COMPLETION and not units:
        errors.append("Выберите хотя бы одну пару или группу.")
    if kind == DocKind.COMPLETION:
        errors += [
            f"{u}: программа ещё идёт (срок по {u.end_date:%d.%m.%Y}) — приказ о завершении "
            "издают после окончания срока или после досрочного прекращения пары."
            for u in units
            if u.is_open and u.end_date > day
        ]
    if kind == DocKind.REPLACEMENT:
        if len(units) != 1:
            errors.append("Выберите одну пару или группу, в которой заменён наставник.")
        elif not units[0].mentor_changes.exists():
            errors.append(
                "В этой паре наставник не заменялся: сначала оформите замену на странице пары."
            )
        else:
            errors += [e for e in missing_duties_consents(units, day) if "(наставник)" in e]
    if kind == DocKind.TERMINATION:
        if len(units) != 1:
            errors.append("Выберите одну пару или группу, прекращённую досрочно.")
        elif units[0].status != UnitStatus.TERMINATED or units[0].ended_on is None:
            errors.append(
                f"{units[0]}: пара не прекращена досрочно — сначала прекратите её на странице "
                "пары (дата и причина), затем издайте приказ."
            )
    if kind == DocKind.AGREEMENT_END:
        if len(units) != 1:
            errors.append("Выберите одну пару или группу, в которой наставник прекратил работу.")
        elif person is None:
            errors.append("Не выбран наставник.")
        elif ended_for(units[0], person) is None:
            errors.append(
                f"{person.full_name}: в паре «{units[0]}» работа наставника не прекращалась — "
                "сначала прекратите пару или замените наставника на странице пары."
            )
    if kind in (DocKind.CURATOR, DocKind.AGREEMENT, DocKind.AGREEMENT_END,
                DocKind.PD_RESPONSIBLE) and person is None:  # fmt: skip
        errors.append("Не выбран сотрудник.")
    if kind == DocKind.AGREEMENT and person is not None:
        if not units:
            errors.append(
                f"У {person_in(person, 'gen')} нет действующих пар и групп как у наставника."
            )
        errors += [e for e in missing_duties_consents(units, day) if "(наставник)" in e]
    if errors:
        raise DocumentRuleError(errors)


def template_for(org: Organisation, kind: str) -> bytes:
    """The school's own template for this kind when it has one, else the shipped one."""
    from apps.documents.docx_templates import shipped_template  # python-docx: on first use

    own = SchoolTemplate.objects.of(org).filter(kind=kind).first()
    if own is None:
        return shipped_template(kind)
    with own.file.open("rb") as handle:
        return handle.read()


@transaction.atomic
def save_school_template(
    *, org: Organisation, kind: str, upload, by
) -> tuple[SchoolTemplate, list[str], list[str]]:
    """Check the upload, set it on the ГОСТ page in the school's font, store it for `kind`.

    Returns the template, what was corrected on its page (A4, margins, page numbers, fonts)
    and what the school still has to fix in Word.
    Side effects: the previous template of this kind is replaced.
    """
    from apps.documents.layout_check import fit_template_to_gost  # python-docx, docxtpl
    from apps.documents.school_templates import check_template

    data = check_template(upload, kind)
    settings = DocumentSettings.objects.of(org).first() or DocumentSettings()
    data, fixed, left = fit_template_to_gost(data, font=settings.font)
    SchoolTemplate.objects.of(org).filter(kind=kind).delete()
    template = SchoolTemplate(organisation=org, kind=kind, uploaded_by=by)
    template.file.save(f"{org.pk}-{kind}.docx", ContentFile(data), save=False)
    template.save()
    return template, fixed, left


def _next_seq(org: Organisation, series: str, year: int) -> int:
    top = Document.objects.of(org).filter(series=series, year=year).aggregate(m=Max("seq"))["m"]
    return (top or 0) + 1


def issue(
    *,
    org: Organisation,
    kind: str,
    by,
    day: datetime.date | None = None,
    unit_ids: Sequence[int] = (),
    person: Person | None = None,
    replaces: Document | None = None,
) -> Document:
    """Number, render and store a document (a draft). Raises DocumentRuleError.

    Two curators issuing at once may pick the same number: the unique constraint refuses the
    second, which retries with the next number inside its own savepoint.
    """
    day = day or timezone.localdate()
    series = SERIES_OF_KIND[kind]
    units = units_for_order(org, unit_ids) if unit_ids else []
    if kind == DocKind.AGREEMENT and person is not None and not unit_ids:
        units = units_for_order(
            org,
            list(
                UnitMember.objects.of(org)
                .filter(mentor=person, is_open=True)
                .values_list("unit_id", flat=True)
                .distinct()
            ),
        )
    if kind == DocKind.CURATOR and person is None:
        person = curator_person(org)
    if kind == DocKind.PD_RESPONSIBLE and person is None:
        from apps.documents.pd_paperwork import responsible_person

        person = responsible_person(org)[0]
    check_request(org, kind, units=units, person=person, day=day)
    check_sequence(org, series, day)
    template = template_for(org, kind)
    font = (DocumentSettings.objects.of(org).first() or DocumentSettings()).font
    fmt = number_format(org, series)
    for _attempt in range(NUMBER_ATTEMPTS):
        seq = _next_seq(org, series, day.year)
        number = fmt.replace("{n}", str(seq)).replace("{year}", str(day.year))
        ctx, warnings = build_context(org, kind, number=number, day=day, units=units, person=person)
        warnings += in_force_warnings(org, kind, replaces=replaces)
        data = render(template, ctx)
        if font != FONT and not SchoolTemplate.objects.of(org).filter(kind=kind).exists():
            data = in_font(data, font)  # the shipped templates in the school's chosen font
        try:
            with transaction.atomic():
                document = Document(
                    organisation=org, kind=kind, series=series, year=day.year, seq=seq,
                    number=number, date=day, title=TITLES[kind], person=person,
                    warnings=warnings, created_by=by, replaces=replaces,
                )  # fmt: skip
                document.file.save(f"{kind}-{number}.docx".replace("/", "-"), ContentFile(data))
                if units:
                    document.units.set(units)
                if replaces is not None:
                    _cancel(replaces, by=by)
                return document
        except IntegrityError:
            continue  # someone took this number a moment ago: take the next one
    raise DocumentRuleError(["Не удалось присвоить номер: попробуйте ещё раз."])


def polozhenie_in_force(org: Organisation, day: datetime.date) -> dict | None:
    """The signed order approving the Положение that the other orders refer to."""
    order = (
        Document.objects.of(org)
        .filter(kind=DocKind.POLOZHENIE, status=DocStatus.SIGNED, date__lte=day)
        .order_by("-date", "-pk")
        .first()
    )
    return {"number": order.number, "date": order.date.strftime("%d.%m.%Y")} if order else None


def roadmap_groups(rows: list[dict]) -> list[dict]:
    """Rows of appendix 2 grouped by stage (one merged stage row each), numbered through."""
    groups: list[dict] = []
    for number, row in enumerate(rows, start=1):
        if not groups or groups[-1]["stage"] != row["stage"]:
            groups.append({"stage": row["stage"], "rows": []})
        groups[-1]["rows"].append({**row, "n": number})
    return groups


def ended_for(unit: MentoringUnit, person: Person) -> tuple[datetime.date, str] | None:
    """(the day `person` stopped mentoring in `unit`, why): the unit's early or normal end when
    they led it, or the replacement that released them; None when they still mentor there."""
    if unit.mentor_id == person.pk and unit.status in (UnitStatus.COMPLETED, UnitStatus.TERMINATED):
        return unit.ended_on or unit.end_date, unit.end_reason
    change = unit.mentor_changes.filter(old_mentor=person).order_by("-changed_on").first()
    return (change.changed_on, change.reason) if change else None


def agreement_of(org: Organisation, person: Person) -> dict | None:
    """The latest доп. соглашение on mentoring with `person` (not cancelled)."""
    agreement = (
        Document.objects.of(org)
        .filter(kind=DocKind.AGREEMENT, person=person)
        .exclude(status=DocStatus.CANCELLED)
        .order_by("-date", "-pk")
        .first()
    )
    return (
        {"number": agreement.number, "date": agreement.date.strftime("%d.%m.%Y")}
        if agreement else None
    )  # fmt: skip


def pairs_order_of(org: Organisation, units: Sequence[MentoringUnit]) -> dict | None:
    """The latest pairs order (not cancelled) that names one of these units."""
    order = (
        Document.objects.of(org)
        .filter(kind=DocKind.PAIRS, units__in=list(units))
        .exclude(status=DocStatus.CANCELLED)
        .order_by("-date", "-pk")
        .first()
    )
    return {"number": order.number, "date": order.date.strftime("%d.%m.%Y")} if order else None


def agreement_warnings(person: Person, units, day: datetime.date, ctx: dict) -> list[str]:
    """What a records clerk would send back on a доп. соглашение (ст. 351.8 ТК РФ)."""
    found = []
    if not person.contract_number or not person.contract_date:
        found.append(
            f"{person.full_name}: в карточке сотрудника нет номера и даты трудового договора — "
            "в соглашении оставлены пустые строки."
        )
    if not any(ch.isdigit() for ch in ctx.get("extra_pay") or ""):
        found.append(
            "Размер доплаты не указан числом (ст. 351.8 ТК РФ требует размер и условия оплаты): "
            "укажите его в «Документы → Нумерация и шаблоны»."
        )
    early = min(u.start_date for u in units)
    if early < day:
        found.append(
            f"Срок наставничества начинается {early:%d.%m.%Y} — раньше даты соглашения "
            f"{day:%d.%m.%Y}: подпишите соглашение до начала или укажите причину."
        )
    if ctx.get("pairs_order") is None:
        found.append("Пара (группа) ещё не закреплена приказом: сначала выпустите приказ.")
    return found


def in_font(data: bytes, font: str) -> bytes:
    from docx import Document as DocxDocument  # on first use

    from apps.core.docx_page import gost_page

    document = DocxDocument(io.BytesIO(data))
    gost_page(document, font=font, size=14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def check_sequence(org: Organisation, series: str, day: datetime.date) -> None:
    """Numbers follow dates within a series: no document dated before a later-numbered one."""
    later = (
        Document.objects.filter(organisation=org, series=series, year=day.year, date__gt=day)
        .exclude(status=DocStatus.CANCELLED)
        .order_by("-date")
        .first()
    )
    if later is not None:
        raise DocumentRuleError(
            [
                f"В реестре уже есть № {later.number} от {later.date:%d.%m.%Y} — позже выбранной "
                f"даты: номер не может идти раньше по дате. Выберите дату не раньше "
                f"{later.date:%d.%m.%Y}."
            ]
        )


SINGLE_IN_FORCE = {DocKind.POLOZHENIE, DocKind.CURATOR, DocKind.PEP_RULES, DocKind.PD_RESPONSIBLE}


def in_force_warnings(org: Organisation, kind: str, *, replaces: Document | None) -> list[str]:
    """A second Положение or a second curator while the first order is in force."""
    if kind not in SINGLE_IN_FORCE:
        return []
    current = Document.objects.filter(organisation=org, kind=kind, status=DocStatus.SIGNED)
    if replaces is not None:
        current = current.exclude(pk=replaces.pk)
    return [
        f"Уже действует приказ № {d.number} от {d.date:%d.%m.%Y} «{d.title}»: после подписания "
        "нового отмените прежний (или выпустите новый как его новую версию)."
        for d in current.order_by("date")
    ]


def _cancel(document: Document, *, by) -> None:
    Document.objects.filter(pk=document.pk).update(
        status=DocStatus.CANCELLED, status_changed_at=timezone.now(), status_changed_by=by
    )


@transaction.atomic
def set_status(document: Document, status: str, *, by) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    allowed = {
        DocStatus.DRAFT: {DocStatus.SIGNING, DocStatus.CANCELLED},
        DocStatus.SIGNING: {DocStatus.DRAFT, DocStatus.CANCELLED},
        DocStatus.SIGNED: {DocStatus.CANCELLED},
        DocStatus.CANCELLED: set(),
    }
    if status == DocStatus.SIGNED:
        raise DocumentStateError("Подписанным документ становится, когда загружен его скан.")
    if status not in allowed[document.status]:
        raise DocumentStateError(
            f"Из статуса «{document.get_status_display()}» нельзя перейти в «"
            f"{DocStatus(status).label}»."
        )
    document.status = status
    document.status_changed_at = timezone.now()
    document.status_changed_by = by
    document.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    return document


def after_signed(document: Document, *, by) -> None:
    """What a signed document sets going, whether signed on paper or electronically: a pairs
    order launches its units."""
    if document.kind == DocKind.PAIRS:
        launch_units(
            units=document.units.all(), by=by,
            note=f" приказом № {document.number} от {document.date:%d.%m.%Y}",
        )  # fmt: skip


@transaction.atomic
def attach_scan(document: Document, upload, *, by) -> Document:
    """The signed scan arrives: the document is signed and from now on never changes.

    Side effects: a signed pairs order launches its units still in «Проект»."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status in (DocStatus.SIGNED, DocStatus.CANCELLED):
        raise DocumentStateError(
            "Документ уже подписан или отменён — его скан не заменяется. Чтобы изменить "
            "документ, выпустите новую версию."
        )
    document.scan.save(upload.name, upload, save=False)
    document.status = DocStatus.SIGNED
    document.signed_with = document.signed_with or SignedWith.SCAN
    document.status_changed_at = timezone.now()
    document.status_changed_by = by
    document.save(
        update_fields=["scan", "status", "signed_with", "status_changed_at", "status_changed_by"]
    )
    after_signed(document, by=by)
    return document
