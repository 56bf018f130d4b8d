"""The inspection archive of an academic year: one ZIP with a table of contents.

Contents: signed acts (.docx and the signed scan), the consents register (.xlsx) with scans,
the ПНП of every unit (.docx), the meetings diary of every unit (.docx) and all meetings in one
.xlsx, the destruction acts (.docx); the table of contents gives each file's kind and its sheet
count where known. Built in a temporary file, so a large school does not hold the whole archive
in memory.
"""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from pathlib import PurePath

from django.db.models import Prefetch, Q
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from apps.core.docx_page import gost_page, repeat_header
from apps.core.office import PdfUnavailable
from apps.core.sheets import append_row
from apps.core.text import lower_first, strip_unsafe
from apps.core.years import year_bounds
from apps.documents.context import curator_person
from apps.documents.models import DocStatus, Document, DocumentSettings
from apps.documents.registers import CONSENTS, consent_rows, register_xlsx
from apps.jobs.registry import Result
from apps.orgs.models import Organisation
from apps.people.acts import act_docx, act_html
from apps.people.models import Consent, DestructionAct
from apps.programs.models import Meeting, MentoringUnit, Task, TaskStatus, UnitMember, UnitStatus


def _safe(name: str) -> str:
    name = strip_unsafe(name)
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name).strip()[:120]


def _xlsx(headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for column, header in zip(sheet.columns, headers, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(60, len(header) + 6))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(strip_unsafe(text))
    run.bold = bold


def school_font(org: Organisation) -> str:
    """The font the school chose for its documents (Times New Roman by default)."""
    return (DocumentSettings.objects.of(org).first() or DocumentSettings()).font


def programme_docx(unit: MentoringUnit, tasks: list[Task]) -> bytes:
    """The ПНП as an official document of the school (Положение, раздел 7): approval by the
    head, the pair, the mentee's difficulties, goal, tasks with responsible people and deadlines
    as they are now, expected results, reporting form and the three signatures."""
    org = unit.organisation
    programme = getattr(unit, "programme", None)
    doc = DocxDocument()
    gost_page(doc, font=school_font(unit.organisation), size=12)
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.add_run(strip_unsafe(org.name)).bold = True
    approve = doc.add_paragraph()
    approve.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    approved_on = (
        f"{programme.approved_on:%d.%m.%Y}" if programme and programme.approved_on
        else "«___» ____________ 20___ г."
    )  # fmt: skip
    head = org.head_name or "____________"
    approve.add_run(
        strip_unsafe(
            f"УТВЕРЖДАЮ\n{org.head_position or 'Директор'}\n____________ {head}\n{approved_on}"
        )
    )
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    version = programme.version if programme else 1
    title.add_run(
        f"ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА\nпары (группы) № {unit.pk}, версия {version}"
    ).bold = True
    members = list(unit.members.all())
    mentees = "; ".join(f"{m.mentee.full_name}, {lower_first(m.mentee.position)}" for m in members)
    rows = [
        ("Наставник", f"{unit.mentor.full_name}, {lower_first(unit.mentor.position)}"),
        ("Наставляемые" if len(members) > 1 else "Наставляемый", mentees or "—"),
        ("Форма и вид наставничества", f"{unit.pairing.name}; {lower_first(unit.format.name)}"),
        ("Срок реализации", f"с {unit.start_date:%d.%m.%Y} по {unit.end_date:%d.%m.%Y}"),
        ("Выявленные затруднения", (programme.difficulties if programme else "") or "—"),
        ("Цель программы", (programme.goal if programme else "") or "—"),
        (
            "Форма отчётности",
            "дневник встреч наставника, отметки о выполнении задач с подтверждениями, итоговый "
            "отчёт о реализации программы в течение 10 дней после её окончания",
        ),
    ]
    info = doc.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in rows:
        cells = info.add_row().cells
        _cell(cells[0], label, bold=True)
        _cell(cells[1], value)
    doc.add_paragraph()
    plan = doc.add_paragraph()
    plan.add_run("План реализации программы").bold = True
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    headers = ["№", "Направление", "Задача, форма работы", "Ожидаемый результат", "Срок",
               "Ответственный"]  # fmt: skip
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True)
    repeat_header(table.rows[0])
    for index, task in enumerate(tasks, start=1):
        cells = table.add_row().cells
        deadline = task.new_deadline or task.deadline
        form = f" ({task.work_form})" if task.work_form else ""
        values = [str(index), task.direction, f"{task.title}{form}", task.expected_result or "—",
                  f"{deadline:%d.%m.%Y}", task.responsible.short_name]  # fmt: skip
        for cell, value in zip(cells, values, strict=True):
            _cell(cell, value)
    if not tasks:
        cells = table.add_row().cells
        _cell(cells[1], "Задачи ещё не внесены")
    table.autofit = False
    for row in table.rows:  # widths that fit 165 mm and break no heading word
        for cell, width in zip(row.cells, (0.8, 2.9, 4.5, 3.3, 2.2, 2.8), strict=True):
            cell.width = Cm(width)
    doc.add_paragraph()
    signatures = doc.add_table(rows=0, cols=2)
    people = [("Наставник", unit.mentor.short_name)]
    people += [("Наставляемый", m.mentee.short_name) for m in members]
    curator = curator_person(org)
    people.append(("Куратор наставничества", curator.short_name if curator else "____________"))
    for role, name in people:
        cells = signatures.add_row().cells
        _cell(cells[0], role)
        _cell(cells[1], f"____________ {name}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _approval(doc, org: Organisation) -> None:
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.add_run(strip_unsafe(org.name)).bold = True


def report_docx(unit: MentoringUnit, tasks: list[Task], meetings: list[Meeting]) -> bytes:
    """The report on a ПНП (Положение: within 10 working days of its end; before the end an
    interim one on today's date): the pair, the planned and the real term, how it ended, every
    task with its result and evidence, the meetings held, a summary in figures, room for
    conclusions and the signatures."""
    org = unit.organisation
    programme = getattr(unit, "programme", None)
    doc = DocxDocument()
    gost_page(doc, font=school_font(org), size=12)
    _approval(doc, org)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    today = datetime.date.today()  # noqa: DTZ011
    final = unit.status in (UnitStatus.COMPLETED, UnitStatus.TERMINATED)
    title.add_run(
        ("ОТЧЁТ" if final else "ПРОМЕЖУТОЧНЫЙ ОТЧЁТ")
        + "\nо реализации персонализированной программы наставничества\n"
        + f"пары (группы) № {unit.pk}"
        + ("" if final else f" на {today:%d.%m.%Y}")
    ).bold = True
    members = list(unit.members.all())
    mentees = "; ".join(f"{m.mentee.full_name}, {lower_first(m.mentee.position)}" for m in members)
    ended = unit.ended_on or unit.end_date
    how = (
        f"прекращена досрочно {ended:%d.%m.%Y}"
        + (f" (причина — {lower_first(unit.end_reason.strip().rstrip('.'))})"
           if unit.end_reason.strip() else "")
        if unit.status == UnitStatus.TERMINATED
        else f"завершена {ended:%d.%m.%Y}" if final
        else f"выполняется (срок — по {unit.end_date:%d.%m.%Y})"
    )  # fmt: skip
    done = [t for t in tasks if t.status == TaskStatus.DONE]
    minutes = sum(m.duration for m in meetings)
    share = f" ({len(done) * 100 // len(tasks)} %)" if tasks else ""
    span = f" (с {meetings[0].date:%d.%m.%Y} по {meetings[-1].date:%d.%m.%Y})" if meetings else ""
    rows = [
        ("Наставник", f"{unit.mentor.full_name}, {lower_first(unit.mentor.position)}"),
        ("Наставляемые" if len(members) > 1 else "Наставляемый", mentees or "—"),
        ("Форма и вид наставничества", f"{unit.pairing.name}; {lower_first(unit.format.name)}"),
        ("Срок по программе", f"с {unit.start_date:%d.%m.%Y} по {unit.end_date:%d.%m.%Y}"),
        ("Программа", how),
        ("Цель программы", (programme.goal if programme else "") or "—"),
        (
            "Выполнено задач",
            f"{len(done)} из {len(tasks)}{share}" if tasks else "задачи не вносились",
        ),
        ("Проведено встреч", f"{len(meetings)}, всего {minutes // 60} ч {minutes % 60} мин{span}"),
    ]
    info = doc.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in rows:
        cells = info.add_row().cells
        _cell(cells[0], label, bold=True)
        _cell(cells[1], value)
    doc.add_paragraph()
    doc.add_paragraph().add_run("Выполнение плана программы").bold = True
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["№", "Задача", "Срок", "Результат", "Подтверждение"], strict=True
    ):
        _cell(cell, text, bold=True)  # fmt: skip
    repeat_header(table.rows[0])
    for index, task in enumerate(tasks, start=1):
        deadline = task.new_deadline or task.deadline
        result = task.get_status_display()
        if task.status == TaskStatus.DONE and task.done_on:
            result += f" {task.done_on:%d.%m.%Y}"
        evidence = "файл" if task.evidence_file else ("ссылка" if task.evidence_link else "—")
        values = [str(index), task.title, f"{deadline:%d.%m.%Y}", result, evidence]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, value)
    if not tasks:
        _cell(table.add_row().cells[1], "Задачи не вносились")
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, (0.8, 7.0, 2.3, 3.5, 2.9), strict=True):
            cell.width = Cm(width)
    doc.add_paragraph()
    doc.add_paragraph().add_run("Выводы и рекомендации наставника").bold = True
    for _ in range(3):
        doc.add_paragraph("_" * 70)
    doc.add_paragraph()
    signatures = doc.add_table(rows=0, cols=2)
    people = [("Наставник", unit.mentor.short_name)]
    people += [("Наставляемый", m.mentee.short_name) for m in members]
    curator = curator_person(org)
    people.append(("Куратор наставничества", curator.short_name if curator else "____________"))
    for role, name in people:
        cells = signatures.add_row().cells
        _cell(cells[0], role)
        _cell(cells[1], f"____________ {name}")
    doc.add_paragraph(f"Дата составления: {today:%d.%m.%Y}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


IMAGE = "скан (изображение)"
FILE_KINDS = {".docx": "документ (.docx)", ".xlsx": "таблица (.xlsx)", ".pdf": "скан (.pdf)",
              ".jpg": IMAGE, ".jpeg": IMAGE, ".png": IMAGE}  # fmt: skip


def sheet_count(data: bytes) -> int:
    """How many sheets an .xlsx holds (read-only: a big workbook is not loaded)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return len(book.sheetnames)
    finally:
        book.close()


def contents_docx(org: Organisation, year: str, entries: list[tuple]) -> bytes:
    """The archive's table of contents; an entry is (path, what) or (path, what, sheets), where
    `sheets` is the number of sheets (pages) when known and «—» is printed otherwise."""
    doc = DocxDocument()
    gost_page(doc, font=school_font(org), size=12)
    doc.add_heading(f"Документы системы наставничества за {year} учебный год", level=1)
    today = datetime.date.today()  # noqa: DTZ011
    doc.add_paragraph(strip_unsafe(f"{org.name}. Сформировано {today:%d.%m.%Y}."))
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    headers = ["№", "Файл", "Что это", "Вид файла", "Листов"]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True)
    repeat_header(table.rows[0])
    for index, (path, what, *sheets) in enumerate(entries, start=1):
        kind = FILE_KINDS.get(PurePath(path).suffix.lower(), "файл")
        count = str(sheets[0]) if sheets and sheets[0] else "—"
        cells = table.add_row().cells
        for cell, value in zip(cells, [str(index), path, what, kind, count], strict=True):
            _cell(cell, value)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def diary_docx(unit: MentoringUnit, meetings: list[Meeting]) -> bytes:
    """The meetings diary of a unit as a school document: the school, the pair, the meetings
    (date, topic, form, outcome, next steps; the header row repeats on every page) and the
    signatures of the mentor and the curator."""
    org = unit.organisation
    doc = DocxDocument()
    gost_page(doc, font=school_font(unit.organisation), size=12)
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.add_run(strip_unsafe(org.name)).bold = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(
        f"ДНЕВНИК ВСТРЕЧ НАСТАВНИКА\nпары (группы) № {unit.pk}, {unit.year} учебный год"
    ).bold = True
    members = list(unit.members.all())
    mentees = "; ".join(f"{m.mentee.full_name}, {lower_first(m.mentee.position)}" for m in members)
    info = doc.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in (
        ("Наставник", f"{unit.mentor.full_name}, {lower_first(unit.mentor.position)}"),
        ("Наставляемые" if len(members) > 1 else "Наставляемый", mentees or "—"),
        ("Форма и вид наставничества", f"{unit.pairing.name}; {lower_first(unit.format.name)}"),
        ("Срок реализации", f"с {unit.start_date:%d.%m.%Y} по {unit.end_date:%d.%m.%Y}"),
    ):
        cells = info.add_row().cells
        _cell(cells[0], label, bold=True)
        _cell(cells[1], value)
    doc.add_paragraph()
    doc.add_paragraph().add_run("Встречи").bold = True
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    headers = ["№", "Дата", "Тема встречи", "Форма", "Итоги", "Следующие шаги"]
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, bold=True)
    repeat_header(table.rows[0])
    for index, meeting in enumerate(meetings, start=1):
        values = [str(index), f"{meeting.date:%d.%m.%Y}", meeting.topic,
                  f"{meeting.get_format_display()}, {meeting.duration} мин",
                  meeting.outcome or "—", meeting.next_steps or "—"]  # fmt: skip
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _cell(cell, value)
    if not meetings:
        _cell(table.add_row().cells[2], "Встреч ещё не было")
    table.autofit = False
    widths = (1.0, 2.6, 3.8, 2.4, 3.4, 3.3)  # 165 mm between the margins
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice reads it, not the cells' widths
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a meeting on one page
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    doc.add_paragraph()
    curator = curator_person(org)
    signatures = doc.add_table(rows=0, cols=2)
    for role, name in (
        ("Наставник", unit.mentor.short_name),
        ("Куратор наставничества", curator.short_name if curator else "____________"),
    ):
        cells = signatures.add_row().cells
        _cell(cells[0], role)
        _cell(cells[1], f"____________ {name}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_archive(org: Organisation, year: str, progress=None):
    """A temporary file with the ZIP (caller streams and closes it) and the entry count.

    `progress(done, total, stage)`, when given, hears of every file added (a background job
    shows it as a progress bar)."""
    start, end = year_bounds(year)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response streams and closes it
    entries: list[tuple[str, str, int | None]] = []
    total = [0]  # files the archive will hold, known once its lists are read
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, data: bytes, what: str) -> None:
            archive.writestr(path, data)
            sheets = sheet_count(data) if path.endswith(".xlsx") else None
            entries.append((path, what, sheets))
            if progress is not None:
                progress(len(entries), max(total[0], len(entries)), what)

        def add_file(path: str, field, what: str) -> None:
            with field.open("rb") as source:
                add(path, source.read(), what)

        documents = list(
            Document.objects.of(org)
            .filter(status=DocStatus.SIGNED, date__range=(start, end))
            .order_by("date", "seq")
        )
        consents = list(
            Consent.objects.of(org)
            .filter(given_on__lte=end)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
            .exclude(scan="")
            .select_related("person")
            .order_by("person__last_name", "person__first_name", "kind")
        )
        if progress is not None:
            units_count = MentoringUnit.objects.of(org).filter(year=year).count()
            total[0] = 2 * len(documents) + len(consents) + 2 * units_count + 2
        for doc in documents:
            base = (
                f"01 Приказы и акты/{_safe(f'№ {doc.number} от {doc.date:%d.%m.%Y} {doc.title}')}"
            )
            add_file(f"{base}.docx", doc.file, f"{doc.get_kind_display()} № {doc.number}")
            if doc.scan:
                suffix = PurePath(doc.scan.name).suffix or ".pdf"
                add_file(f"{base} (скан){suffix}", doc.scan, f"Подписанный скан № {doc.number}")
            # Signed electronically: the copy with the marks (ГОСТ Р 7.0.97 п. 5.23) and every
            # detached qualified signature, as the inspector verifies them.
            if doc.signed_copy:
                add_file(f"{base} (подписан ЭП).pdf", doc.signed_copy,
                         f"Копия с отметками об электронной подписи № {doc.number}")  # fmt: skip
            for signature in doc.signatures.exclude(signature_file=""):
                suffix = PurePath(signature.signature_file.name).suffix or ".sig"
                add_file(f"{base} (подпись {signature.pk}){suffix}", signature.signature_file,
                         f"Электронная подпись: {signature.signer_name}")  # fmt: skip

        for consent in consents:
            suffix = PurePath(consent.scan.name).suffix or ".pdf"
            add_file(
                f"02 Согласия/Сканы/{_safe(consent.person.full_name)} — "
                f"{_safe(consent.get_kind_display())}{suffix}",
                consent.scan,
                f"Скан согласия: {consent.person.full_name}",
            )
        add(
            "02 Согласия/Реестр согласий.xlsx",
            register_xlsx(org, CONSENTS, year, consent_rows(org, year)),
            "Реестр согласий на обработку ПДн и участие в наставничестве",
        )

        units = list(
            MentoringUnit.objects.of(org)
            .filter(year=year)
            .select_related("organisation", "mentor", "format", "pairing", "programme")
            .prefetch_related(
                Prefetch("members", queryset=UnitMember.objects.select_related("mentee")),
                Prefetch(
                    "programme__tasks",
                    queryset=Task.objects.select_related("responsible").order_by("order", "pk"),
                ),
            )
            .order_by("mentor__last_name", "pk")
        )
        for unit in units:
            tasks = list(unit.programme.tasks.all()) if hasattr(unit, "programme") else []
            add(
                f"03 ПНП/{_safe(unit.mentor.full_name)} — пара {unit.pk}.docx",
                programme_docx(unit, tasks),
                f"ПНП: наставник {unit.mentor.full_name}",
            )
        meetings = list(
            Meeting.objects.filter(unit__in=units)
            .select_related("unit__mentor")
            .order_by("unit__mentor__last_name", "date", "pk")
        )
        for unit in units:
            add(
                f"04 Дневники встреч/{_safe(unit.mentor.full_name)} — пара {unit.pk}.docx",
                diary_docx(unit, [m for m in meetings if m.unit_id == unit.pk]),
                f"Дневник встреч: наставник {unit.mentor.full_name}",
            )
        add(
            "04 Дневники встреч/Дневники встреч.xlsx",
            _xlsx(
                ["Наставник", "Дата", "Длительность, мин", "Тема", "Итоги", "Следующие шаги"],
                [
                    [
                        m.unit.mentor.full_name,
                        m.date.strftime("%d.%m.%Y"),
                        m.duration,
                        m.topic,
                        m.outcome,
                        m.next_steps,
                    ]
                    for m in meetings
                ],
            ),
            "Встречи всех пар и групп за год",
        )
        # Приказ Роскомнадзора № 179 п. 8: the acts with their journal exports, kept 3 years.
        for act in DestructionAct.objects.of(org).filter(created_at__date__range=(start, end)):
            what = f"Акт об уничтожении ПДн № {act.number}"
            base = f"05 Акты уничтожения ПДн/{_safe(f'{what} от {act.destroyed_on:%d.%m.%Y}')}"
            try:
                add(f"{base}.docx", act_docx(act), what)
            except PdfUnavailable:  # no LibreOffice on this server: the print form as a page
                add(f"{base}.html", act_html(act).encode(), what)
        archive.writestr("00 Оглавление.docx", contents_docx(org, year, entries))
    handle.seek(0)
    return handle, len(entries)


ARCHIVE_JOB = "documents.archive"


def archive_name(org: Organisation, year: str) -> str:
    return f"Наставничество {org.short_name} {year.replace('/', '-')}.zip"


def archive_job(*, job, progress) -> Result:
    """The inspection archive as a background job (registered in DocumentsConfig.ready())."""
    year = job.params["year"]
    handle, _count = build_archive(job.organisation, year, progress)
    return Result(archive_name(job.organisation, year), handle, "application/zip")
