"""The regional monitoring exchange: the catalogue of indicators with codes, each school's
figures for a form, and the use cases of the form (create, review and submit, return, collect).

The figures come from `indicators.compute` (grouped queries over the schools), so a form of a
thousand schools costs the same number of queries as one of three.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.core.sheets import append_row
from apps.core.text import describe_control_character
from apps.monitoring.indicators import Figures, compute, months_elapsed, share
from apps.monitoring.models import FormSubmission, MonitoringForm, SubmissionStatus
from apps.orgs.models import Organisation
from apps.people.choices import PersonStatus
from apps.people.models import Person

MAX_COMMENT = 1000


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    kind: str  # "n" a number, "p" a percentage
    federal: bool
    value: Callable[[Figures, int, int], float | int | None]  # figures, staff, months


INDICATORS: tuple[Indicator, ...] = (
    # The federal indicators of the target model (Минпросвещения) first.
    Indicator("F01", "Доля педагогов в возрасте до 35 лет со стажем до 3 лет, охваченных "
              "наставничеством, %", "p", True, lambda f, s, m: f.young_coverage),
    Indicator("F02", "Педагогов в возрасте до 35 лет со стажем до 3 лет, чел.", "n", True,
              lambda f, s, m: f.young),
    Indicator("F03", "Из них в наставнических парах и группах, чел.", "n", True,
              lambda f, s, m: f.young_covered),
    Indicator("F04", "Доля молодых специалистов, участвующих в наставничестве, %", "p", True,
              lambda f, s, m: f.specialists_coverage),
    Indicator("F05", "Доля педагогов-наставников от числа работников, %", "p", True,
              lambda f, s, m: share(f.mentors, s)),
    Indicator("F06", "Доля молодых специалистов, оставшихся в организации через 1 год, %", "p",
              True, lambda f, s, m: f.retention_1),
    Indicator("F07", "Доля молодых специалистов, оставшихся в организации через 3 года, %", "p",
              True, lambda f, s, m: f.retention_3),
    Indicator("M01", "Наставников, чел.", "n", False, lambda f, s, m: f.mentors),
    Indicator("M02", "Наставляемых, чел.", "n", False, lambda f, s, m: f.mentees),
    Indicator("M03", "Наставнических пар и групп", "n", False, lambda f, s, m: f.units),
    Indicator("M04", "Охват новых сотрудников наставничеством, %", "p", False,
              lambda f, s, m: f.newcomers_coverage),
    Indicator("M05", "Завершено программ, %", "p", False, lambda f, s, m: f.completed_share),
    Indicator("M06", "Прекращено досрочно, %", "p", False, lambda f, s, m: f.terminated_share),
    Indicator("M07", "Задачи ПНП, выполненные в срок, %", "p", False,
              lambda f, s, m: f.tasks_on_time_share),
    Indicator("M08", "Встреч на пару в месяц", "n", False,
              lambda f, s, m: f.meetings_per_unit_month(m)),
    Indicator("M09", "Наставляемых без пары, чел.", "n", False, lambda f, s, m: f.unpaired),
    Indicator("M10", "Нагрузка наставника, наставляемых в среднем", "n", False,
              lambda f, s, m: f.average_load),
    Indicator("M11", "Работников в кадровом реестре, чел.", "n", False, lambda f, s, m: s),
)  # fmt: skip
BY_CODE = {i.code: i for i in INDICATORS}
FEDERAL = tuple(i.code for i in INDICATORS if i.federal)


class FormError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def school_values(
    school_ids: Sequence[int], year: str, today: datetime.date, codes: Iterable[str]
) -> dict[int, dict[str, float | int | None]]:
    """Each school's value of every indicator in `codes` (a fixed number of queries)."""
    codes = list(codes)
    figures = compute(school_ids, year, today)
    staff = dict(
        Person.objects.filter(organisation_id__in=school_ids, status=PersonStatus.ACTIVE)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    months = months_elapsed(year, today)
    return {
        pk: {
            code: BY_CODE[code].value(figures.get(pk) or Figures(), staff.get(pk, 0), months)
            for code in codes
        }
        for pk in school_ids
    }


def schools_of(form: MonitoringForm) -> list[Organisation]:
    return list(Organisation.objects.subtree(form.organisation).schools().order_by("short_name"))


# --- use cases -------------------------------------------------------------------------------


@transaction.atomic
def create_form(
    *, org: Organisation, title: str, year: str, deadline: datetime.date, codes: Sequence[str],
    by,
) -> MonitoringForm:  # fmt: skip
    """Side effects: a MonitoringForm the schools below `org` see at once."""
    if org.is_school:
        raise FormError("Форму мониторинга задаёт муниципалитет или регион, не школа.")
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown or not codes:
        raise FormError("Выберите показатели формы из списка.")
    ordered = [i.code for i in INDICATORS if i.code in set(codes)]
    return MonitoringForm.objects.create(
        organisation=org, title=title.strip(), year=year, deadline=deadline, indicators=ordered,
        created_by=by,
    )  # fmt: skip


def submission_of(form: MonitoringForm, school: Organisation) -> FormSubmission:
    """The school's answer, or an unsaved empty one (pages never write on GET)."""
    found = FormSubmission.objects.of(school).filter(form=form).first()
    return found or FormSubmission(form=form, organisation=school)


def _clean_comments(form: MonitoringForm, comments: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for code in form.indicators:
        text = (comments.get(code) or "").strip()
        where = f"Комментарий к показателю {code} «{BY_CODE[code].label}»"
        if found := describe_control_character(text):
            raise FormError(f"{where}: невидимый управляющий символ {found} — удалите его.")
        if len(text) > MAX_COMMENT:
            raise FormError(f"{where}: не длиннее {MAX_COMMENT} символов (сейчас {len(text)}).")
        if text:
            cleaned[code] = text
    return cleaned


def deadline_message(form: MonitoringForm) -> str:
    return (
        f"Срок сдачи формы «{form.title}» — {form.deadline:%d.%m.%Y} — прошёл: отправка закрыта. "
        f"Попросите методиста ({form.organisation.short_name}) разрешить сдачу после срока."
    )


@transaction.atomic
def save_review(
    *, form: MonitoringForm, school: Organisation, comments: dict[str, str], submit: bool, by,
    today: datetime.date | None = None,
) -> FormSubmission:  # fmt: skip
    """Keep the curator's comments and, with `submit`, fix the figures and send the form.

    After the deadline a first submission is refused unless the methodist allows late ones; a
    form returned for correction may always be sent again (marked late after the deadline).
    Side effects: the school's FormSubmission (created on the first save).
    """
    today = today or timezone.localdate()
    submission, _created = FormSubmission.objects.select_for_update().get_or_create(
        form=form, organisation=school
    )
    if submission.status == SubmissionStatus.SUBMITTED:
        raise FormError(
            f"Форма уже отправлена {timezone.localtime(submission.submitted_at):%d.%m.%Y %H:%M}: "
            "изменить её можно, только если методист вернёт её на доработку."
        )
    cleaned = _clean_comments(form, comments)
    late = today > form.deadline
    if submit and late and not form.allow_late and submission.status != SubmissionStatus.RETURNED:
        raise FormError(deadline_message(form))
    submission.comments = cleaned
    if submit:
        submission.values = school_values([school.pk], form.year, today, form.indicators)[school.pk]
        submission.status = SubmissionStatus.SUBMITTED
        submission.late = late
        submission.submitted_at = timezone.now()
        submission.submitted_by = by
    submission.save()
    return submission


@transaction.atomic
def return_submission(
    *, form: MonitoringForm, school: Organisation, reason: str, by
) -> FormSubmission:
    """Side effects: the school's answer is open again, with the reason shown to its curator."""
    reason = reason.strip()
    if not reason:
        raise FormError("Укажите, что исправить: причина возврата видна куратору школы.")
    if found := describe_control_character(reason):
        raise FormError(f"В причине возврата невидимый управляющий символ {found} — удалите его.")
    submission = FormSubmission.objects.select_for_update().of(school).filter(form=form).first()
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        raise FormError(f"{school.short_name} ещё не отправила форму — возвращать нечего.")
    submission.status = SubmissionStatus.RETURNED
    submission.return_reason = reason[:MAX_COMMENT]
    submission.returned_at = timezone.now()
    submission.save(update_fields=["status", "return_reason", "returned_at"])
    return submission


def set_allow_late(*, form: MonitoringForm, allow: bool) -> MonitoringForm:
    """Side effects: the form accepts (or stops accepting) submissions after its deadline."""
    form.allow_late = allow
    form.save(update_fields=["allow_late"])
    return form


# --- the methodist's view --------------------------------------------------------------------


def collection(form: MonitoringForm) -> list[tuple[Organisation, FormSubmission | None]]:
    """Every school below the form's organisation with its answer (two queries)."""
    schools = schools_of(form)
    answers = {
        s.organisation_id: s
        for s in FormSubmission.objects.filter(form=form, organisation__in=schools)
    }
    return [(school, answers.get(school.pk)) for school in schools]


def _status_text(submission: FormSubmission | None) -> str:
    if submission is None or submission.status == SubmissionStatus.DRAFT:
        return "не отправлена"
    text = submission.get_status_display().lower()
    return f"{text} (после срока)" if submission.late else text


def consolidated_xlsx(form: MonitoringForm) -> bytes:
    """One row per school, one column per indicator: the first row holds the codes (for
    loading elsewhere), the second the names; values only from submitted answers."""
    from openpyxl import Workbook  # loaded by the export, not by the pages
    from openpyxl.styles import Font

    rows = collection(form)
    indicators = [BY_CODE[code] for code in form.indicators]
    book = Workbook()
    sheet = book.active
    sheet.title = "Сводная"
    append_row(sheet, ["ИНН", "Организация", "Статус", "Отправлена",
                       *[i.code for i in indicators]])  # fmt: skip
    append_row(sheet, ["ИНН", "Организация", "Статус", "Отправлена",
                       *[i.label for i in indicators]])  # fmt: skip
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
    for school, submission in rows:
        sent = submission and submission.status == SubmissionStatus.SUBMITTED
        values = [submission.values.get(i.code) if sent else None for i in indicators]
        when = timezone.localtime(submission.submitted_at).replace(tzinfo=None) if sent else None
        append_row(sheet, [school.inn, school.short_name, _status_text(submission), when,
                           *values])  # fmt: skip
        if when:
            sheet.cell(sheet.max_row, 4).number_format = "DD.MM.YYYY HH:MM"
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 17
    legend = book.create_sheet("Показатели")
    append_row(legend, ["Код", "Показатель", "Федеральный", "Единица"])
    for indicator in indicators:
        append_row(legend, [indicator.code, indicator.label, "да" if indicator.federal else "",
                            "%" if indicator.kind == "p" else "число"])  # fmt: skip
    legend.column_dimensions["B"].width = 80
    notes = book.create_sheet("Комментарии")
    append_row(notes, ["Организация", "Код", "Комментарий школы"])
    for school, submission in rows:
        for code, text in (submission.comments if submission else {}).items():
            append_row(notes, [school.short_name, code, text])
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["C"].width = 80
    about = f"{form.title}; {form.year} учебный год; срок {form.deadline:%d.%m.%Y}"
    append_row(book.create_sheet("Форма"), [about, form.organisation.name])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
