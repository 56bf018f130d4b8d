"""The shipped document templates, built with python-docx as docxtpl templates (Jinja tags in
the text). A school can download one, change the wording or letterhead in Word and upload it
back; the same context renders both."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache

from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt

from apps.core.docx_page import FONT, gost_page, repeat_header
from apps.documents.models import DocKind

# Items of a list in an order end with «;», the last one with «.».
LIST_END = "{% if loop.last %}.{% else %};{% endif %}"
# «Положением …, утверждённым приказом от 01.09.2026 № 12-о» once that order is signed.
POLOZHENIE_REF = (
    "{% if polozhenie_order %}, утверждённым приказом от {{ polozhenie_order.date }} "
    "№ {{ polozhenie_order.number }}{% endif %}"
)


def _document() -> DocxDocument:
    doc = DocxDocument()
    gost_page(doc, font=FONT, size=14)
    style = doc.styles["Normal"]
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.15
    return doc


def _p(doc, text: str = "", *, bold=False, align=None, indent=True, size=None, space=0):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent and align is None:
        fmt.first_line_indent = Cm(1.25)
    fmt.space_after = Pt(space)
    return paragraph


def _center(doc, text: str, *, bold=False, space=0, size=None):
    return _p(doc, text, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER, space=space, size=size)


def _date_and_number(doc, number_prefix: str = "№ ") -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(f"{{{{ doc.date_words }}}}\t{number_prefix}{{{{ doc.number }}}}")
    paragraph.paragraph_format.space_after = Pt(6)


def _letterhead(doc, kind_title: str, subject: str) -> None:
    _center(doc, "{{ school.full_name }}", bold=True, space=12)
    _center(doc, kind_title, bold=True, space=6, size=16)
    _date_and_number(doc)
    _center(doc, "{{ school.city }}", space=12)
    _center(doc, subject, bold=True, space=12)


def _signature(doc) -> None:
    """The head's signature of an order, then the visas the school set (none by default)."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(24)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("{{ school.head_position }}\t____________ {{ school.head_short }}")
    _visas(doc)


def _visas(doc) -> None:
    """ГОСТ Р 7.0.97-2016 п. 5.22: «СОГЛАСОВАНО», then per visa the position, a line for the
    signature, its расшифровка and a place for the date — only where the school set visas."""
    _p(doc, "{%p if visas %}", indent=False)
    heading = _p(doc, "СОГЛАСОВАНО:", align=WD_ALIGN_PARAGRAPH.LEFT)
    heading.paragraph_format.space_before = Pt(18)
    _p(doc, "{%p for v in visas %}", indent=False)
    visa = _p(doc, "{{ v.position }}\t____________ {{ v.short }}\t«___» ________ 20__ г.",
              align=WD_ALIGN_PARAGRAPH.LEFT)  # fmt: skip
    visa.paragraph_format.tab_stops.add_tab_stop(Cm(10.5), WD_TAB_ALIGNMENT.RIGHT)
    visa.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    visa.paragraph_format.space_before = Pt(6)
    _p(doc, "{%p endfor %}", indent=False)
    _p(doc, "{%p endif %}", indent=False)


def _table(
    doc, headers: list[str], cells: list[str], loop: str, widths: list[float], size: int = 12
):
    """A table whose body row repeats: `loop` is e.g. «for u in units» (docxtpl {%tr %})."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    repeat_header(table.rows[0])
    table.rows[1].cells[0].text = f"{{%tr {loop} %}}"
    for i, text in enumerate(cells):
        table.rows[2].cells[i].text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Cm(width)
    for row in table.rows:
        for i, width in enumerate(widths):
            row.cells[i].width = Cm(width)
            for paragraph in row.cells[i].paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
    return table


def _executor(doc) -> None:
    """Отметка об исполнителе (ГОСТ Р 7.0.97, п. 5.26): who prepared the order and the phone."""
    paragraph = _p(
        doc,
        "{% if executor %}Исполнитель: {{ executor.name }}"
        "{% if executor.phone %}, тел. {{ executor.phone }}{% endif %}{% endif %}",
        indent=False,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        size=12,
    )
    paragraph.paragraph_format.space_before = Pt(18)


def _acquaintance(doc) -> None:
    acquainted = _p(doc, "С приказом {{ acquainted }}:", indent=False, space=6)
    acquainted.paragraph_format.space_before = Pt(18)
    _table(
        doc,
        ["ФИО", "Подпись", "Дата"],
        ["{{ p }}", "", ""],
        "for p in people",
        [9, 4, 3.5],
    )


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _appendix(doc, label: str) -> None:
    """A new page headed «Приложение N / к приказу от … № …» on the right."""
    _page_break(doc)
    _p(doc, label, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(
        doc,
        "к приказу от {{ doc.date }} № {{ doc.number }}",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        space=12,
    )


def polozhenie_order() -> DocxDocument:
    doc = _document()
    _letterhead(
        doc,
        "ПРИКАЗ",
        "Об утверждении Положения о системе наставничества педагогических работников",
    )
    _p(
        doc,
        "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в "
        "Российской Федерации», статьёй 351.8 Трудового кодекса Российской Федерации, "
        "распоряжением Минпросвещения России от 25.12.2019 № Р-145, методическими "
        "рекомендациями по разработке и внедрению системы (целевой модели) наставничества "
        "педагогических работников в образовательных организациях (письмо Минпросвещения "
        "России от 21.12.2021 № АЗ-1128/08), в целях профессионального развития "
        "педагогических работников, с учётом решения педагогического совета (протокол от "
        "{{ council.date }} № {{ council.number }}){% if union %} и мотивированного мнения "
        "{{ union.name_gen }} (протокол от {{ union.date }} № {{ union.number }}; статья 372 "
        "Трудового кодекса Российской Федерации){% endif %}",
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    for line in (
        "1. Утвердить Положение о системе наставничества педагогических работников "
        "{{ school.short_gen }} (приложение 1).",
        "2. Утвердить дорожную карту (план мероприятий) по реализации Положения о системе "
        "наставничества педагогических работников на {{ year }} учебный год (приложение 2).",
        "{% if curator %}3. Куратору наставничества {{ curator.name.dat }} обеспечить "
        "реализацию дорожной карты и размещение Положения на официальном сайте "
        "образовательной организации.{% else %}3. Обеспечить размещение Положения на "
        "официальном сайте образовательной организации.{% endif %}",
        "4. Ознакомить педагогических работников с Положением под подпись (статья 22 "
        "Трудового кодекса Российской Федерации; лист ознакомления — приложение 3).",
        "5. Контроль за исполнением настоящего приказа оставляю за собой.",
    ):
        _p(doc, line)
    _signature(doc)
    _executor(doc)
    _appendix(doc, "Приложение 1")
    _p(
        doc,
        "ПРИНЯТО\tУТВЕРЖДЕНО",
        align=WD_ALIGN_PARAGRAPH.LEFT,
    ).paragraph_format.tab_stops.add_tab_stop(Cm(9))
    _p(
        doc,
        "педагогическим советом\tприказом {{ school.short_gen }}",
        align=WD_ALIGN_PARAGRAPH.LEFT,
    ).paragraph_format.tab_stops.add_tab_stop(Cm(9))
    _p(
        doc,
        "протокол от {{ council.date }} № {{ council.number }}\t"
        "от {{ doc.date }} № {{ doc.number }}",
        align=WD_ALIGN_PARAGRAPH.LEFT,
        space=18,
    ).paragraph_format.tab_stops.add_tab_stop(Cm(9))
    _center(doc, "ПОЛОЖЕНИЕ", bold=True)
    _center(
        doc,
        "о системе наставничества педагогических работников {{ school.short_gen }}",
        bold=True,
        space=12,
    )
    _p(doc, "{%p for s in polozhenie %}", indent=False)
    _center(doc, "{{ loop.index }}. {{ s.title }}", bold=True, space=6)
    _p(doc, "{%p for line in s.paragraphs %}", indent=False)
    _p(doc, "{{ line }}")
    _p(doc, "{%p endfor %}", indent=False)
    _p(doc, "{%p endfor %}", indent=False)
    _appendix(doc, "Приложение 2")
    _center(doc, "Дорожная карта (план мероприятий)", bold=True)
    _center(
        doc,
        "по реализации Положения о системе наставничества педагогических работников "
        "на {{ year }} учебный год",
        bold=True,
        space=12,
    )
    _roadmap_table(doc)
    _appendix(doc, "Приложение 3")
    _center(doc, "Лист ознакомления", bold=True)
    _center(
        doc,
        "с Положением о системе наставничества педагогических работников {{ school.short_gen }}",
        space=12,
    )
    _table(
        doc,
        ["№", "ФИО работника", "Подпись", "Дата"],
        ["{{ loop.index }}", "{{ p }}", "", ""],
        "for p in people",
        [1, 8.5, 4, 3],
    )
    return doc


def _roadmap_table(doc) -> None:
    """Appendix 2: a stage row spanning the table, then its activities; the header repeats."""
    widths = [0.8, 3.2, 4.0, 1.9, 3.3, 3.3]
    headers = ["№", "Мероприятия", "Содержание", "Сроки", "Ответственный", "Результат"]
    table = doc.add_table(rows=7, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, header in enumerate(headers):
        table.rows[0].cells[i].text = header
        table.rows[0].cells[i].paragraphs[0].runs[0].bold = True
    repeat_header(table.rows[0])
    table.rows[1].cells[0].text = "{%tr for g in roadmap_groups %}"
    stage = table.rows[2].cells[0].merge(table.rows[2].cells[-1])
    stage.text = "{{ g.stage }}"
    stage.paragraphs[0].runs[0].bold = True
    table.rows[3].cells[0].text = "{%tr for r in g.rows %}"
    for i, text in enumerate(
        ["{{ r.n }}", "{{ r.activity }}", "{{ r.content }}", "{{ r.term }}",
         "{{ r.responsible }}", "{{ r.result }}"]
    ):  # fmt: skip
        table.rows[4].cells[i].text = text
    table.rows[5].cells[0].text = "{%tr endfor %}"
    table.rows[6].cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Cm(width)  # the grid LibreOffice and Word lay out by
    for row in (table.rows[0], table.rows[4]):
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)


def pairs_order() -> DocxDocument:
    doc = _document()
    _letterhead(doc, "ПРИКАЗ", "О закреплении наставнических пар (групп)")
    _p(
        doc,
        "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, Положением о "
        "системе наставничества педагогических работников {{ school.short_gen }}"
        + POLOZHENIE_REF
        + ", на основании письменных согласий работников",
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    _p(doc, "1. Закрепить наставнические пары (группы) на {{ year }} учебный год (приложение):")
    _p(doc, "{%p for u in units %}", indent=False)
    _p(
        doc,
        "1.{{ u.n }}. {% for m in u.mentees %}{{ m.name.acc }}, {{ m.position.acc }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}, за {{ u.mentor.name.ins }}, "
        "{{ u.mentor.position.ins }}{% if u.co_mentor %} (второй наставник — "
        "{{ u.co_mentor.name.nom }}){% endif %}; форма наставничества — {{ u.form }}, вид — "
        "{{ u.kind }}; "
        "срок — с {{ u.start }} по {{ u.end }}" + LIST_END,
    )
    _p(doc, "{%p endfor %}", indent=False)
    for line in (
        "2. Наставникам в течение месяца со дня издания приказа разработать совместно с "
        "наставляемыми персонализированные программы наставничества и представить их на "
        "утверждение.",
        "3. Установить наставникам доплату {{ extra_pay }}.",
        "{% if curator %}4. Куратору наставничества {{ curator.name.dat }} обеспечить "
        "методическое сопровождение наставнических пар (групп) и мониторинг реализации "
        "программ.{% else %}4. Обеспечить методическое сопровождение наставнических пар "
        "(групп).{% endif %}",
        "5. Контроль за исполнением настоящего приказа оставляю за собой.",
    ):
        _p(doc, line)
    _signature(doc)
    _acquaintance(doc)
    _executor(doc)
    _appendix(doc, "Приложение")
    _center(doc, "Состав наставнических пар (групп) на {{ year }} учебный год", bold=True, space=12)
    _table(
        doc,
        ["№", "Наставник (ФИО, должность)", "Наставляемые (ФИО, должность)", "Форма", "Срок"],
        [
            "{{ u.n }}",
            "{{ u.mentor.name.nom }}, {{ u.mentor.position.nom }}",
            "{% for m in u.mentees %}{{ m.name.nom }}, {{ m.position.nom }}"
            "{% if not loop.last %}; {% endif %}{% endfor %}",
            "{{ u.format }}",
            "{{ u.start }} — {{ u.end }}",
        ],
        "for u in units",
        [0.8, 4.6, 4.6, 3, 3.2],
    )
    return doc


def curator_order() -> DocxDocument:
    doc = _document()
    _letterhead(doc, "ПРИКАЗ", "О назначении куратора наставничества")
    _p(
        doc,
        "В соответствии с Положением о системе наставничества педагогических работников "
        "{{ school.short_gen }}" + POLOZHENIE_REF,
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    for line in (
        "1. Назначить {{ person.name.acc }}, {{ person.position.acc }}, куратором внедрения и "
        "реализации системы наставничества педагогических работников на {{ year }} учебный "
        "год.",
        "2. Куратору наставничества руководствоваться Положением о системе наставничества "
        "педагогических работников: формировать базы наставников и наставляемых, "
        "организовывать подбор наставнических пар (групп), сопровождать реализацию "
        "персонализированных программ, проводить мониторинг и готовить отчёты.",
        "3. Установить куратору наставничества за выполнение дополнительной работы доплату "
        "{{ extra_pay }} при наличии его письменного согласия, оформленного дополнительным "
        "соглашением к трудовому договору (статьи 60.2 и 151 Трудового кодекса Российской "
        "Федерации).",
        "4. Контроль за исполнением настоящего приказа оставляю за собой.",
    ):
        _p(doc, line)
    _signature(doc)
    _acquaintance(doc)
    _executor(doc)
    return doc


def agreement() -> DocxDocument:
    doc = _document()
    _center(doc, "ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № {{ doc.number }}", bold=True)
    _center(
        doc,
        "к трудовому договору{% if contract.number %} от {{ contract.date }} № "
        "{{ contract.number }}{% else %} от «___» ____________ 20___ г. № _____{% endif %}",
        bold=True,
        space=12,
    )
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("{{ school.city }}\t{{ doc.date_words }}")
    paragraph.paragraph_format.space_after = Pt(12)
    _p(
        doc,
        "{{ school.full_name }}, именуемое в дальнейшем «Работодатель», в лице "
        "{{ school.head_position_gen }} {{ school.head_name_gen }}, {{ school.head_acting }} на "
        "основании Устава, с одной стороны, и {{ person.name.nom }}, именуем{{ person.ending }} в "
        "дальнейшем «Работник», с другой стороны, заключили настоящее дополнительное "
        "соглашение о нижеследующем:",
    )
    for line in (
        "1. В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации Работник с "
        "его письменного согласия наряду с работой, определённой трудовым договором, выполняет "
        "дополнительную работу по наставничеству в отношении "
        "{% for m in mentees %}{{ m.name.gen }}, {{ m.position.gen }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}.",
        "2. Наставничество включает: разработку и реализацию совместно с наставляемым "
        "персонализированной программы наставничества, консультации, посещение и анализ "
        "уроков, помощь в подготовке к аттестации, ведение дневника встреч.",
        "3. Наставничество осуществляется в форме «{{ form }}», вид наставничества — "
        "{{ kind }}{% if pairs_order %}, наставническая пара (группа) закреплена приказом от "
        "{{ pairs_order.date }} № {{ pairs_order.number }}{% endif %}.",
        "4. Срок выполнения дополнительной работы — с {{ start }} по {{ end }}.",
        "5. За выполнение дополнительной работы Работнику в течение срока, указанного в пункте "
        "4, устанавливается доплата {{ extra_pay }}; доплата выплачивается ежемесячно вместе с "
        "заработной платой.",
        "6. Работник вправе досрочно отказаться от выполнения дополнительной работы, а "
        "Работодатель — досрочно отменить поручение о её выполнении, предупредив другую "
        "сторону в письменной форме не позднее чем за три рабочих дня.",
        "7. Настоящее соглашение вступает в силу со дня подписания, является неотъемлемой "
        "частью трудового договора и составлено в двух экземплярах, по одному для каждой "
        "стороны.",
    ):
        _p(doc, line)
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = (
        "Работодатель:\n{{ school.full_name }}\n{% if school.address %}{{ school.address }}\n"
        "{% endif %}{% if school.inn %}ИНН {{ school.inn }}\n{% endif %}{{ school.head_position }}"
    )
    table.rows[0].cells[1].text = "Работник:\n{{ person.name.nom }}"
    table.rows[1].cells[0].text = "____________ {{ school.head_short }}"
    table.rows[1].cells[1].text = "____________ {{ person.short.nom }}"
    _p(doc, "Экземпляр соглашения получил(а): ____________ «___» ________ 20___ г.", indent=False)
    return doc


def completion_order() -> DocxDocument:
    doc = _document()
    _letterhead(
        doc,
        "ПРИКАЗ",
        "О завершении персонализированных программ наставничества и поощрении наставников",
    )
    _p(
        doc,
        "В соответствии с Положением о системе наставничества педагогических работников "
        "{{ school.short_gen }}"
        + POLOZHENIE_REF
        + ", по итогам реализации персонализированных программ "
        "наставничества",
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    _p(doc, "1. Признать завершёнными персонализированные программы наставничества:")
    _p(doc, "{%p for u in units %}", indent=False)
    _p(
        doc,
        "1.{{ u.n }}. наставника {{ u.mentor.name.gen }}, {{ u.mentor.position.gen }}, с "
        "{% for m in u.mentees %}{{ m.name.ins }}{% if not loop.last %}, {% endif %}"
        "{% endfor %} (срок — с {{ u.start }} по {{ u.end }})" + LIST_END,
    )
    _p(doc, "{%p endfor %}", indent=False)
    _p(doc, "2. Объявить благодарность за качественную реализацию программ наставничества:")
    _p(doc, "{%p for u in units %}", indent=False)
    _p(doc, "— {{ u.mentor.name.dat }}, {{ u.mentor.position.dat }}" + LIST_END)
    _p(doc, "{%p endfor %}", indent=False)
    for line in (
        "{% if curator %}3. Куратору наставничества {{ curator.name.dat }} обобщить опыт "
        "наставнических пар (групп) и пополнить методическую копилку.{% else %}3. Обобщить "
        "опыт наставнических пар (групп) и пополнить методическую копилку.{% endif %}",
        "4. Контроль за исполнением настоящего приказа оставляю за собой.",
    ):
        _p(doc, line)
    _signature(doc)
    _acquaintance(doc)
    _executor(doc)
    return doc


def replacement_order() -> DocxDocument:
    doc = _document()
    _letterhead(doc, "ПРИКАЗ", "О замене наставника")
    _p(
        doc,
        "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, Положением о "
        "системе наставничества педагогических работников {{ school.short_gen }}"
        + POLOZHENIE_REF
        + ", в связи "
        "с заменой наставника (причина — {{ reason_text }})",
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    for line in (
        "1. С {{ changed_on }} освободить {{ old.name.acc }}, {{ old.position.acc }}, от "
        "выполнения обязанностей наставника.",
        "2. С {{ changed_on }} закрепить {% for m in mentees %}{{ m.name.acc }}, "
        "{{ m.position.acc }}{% if not loop.last %}; {% endif %}{% endfor %}, за "
        "{{ new.name.ins }}, {{ new.position.ins }}, с сохранением персонализированной "
        "программы наставничества; срок — по {{ end }}.",
        "3. Прекратить с {{ changed_on }} действие дополнительного соглашения к трудовому "
        "договору с {{ old.name.ins }} о выполнении работы по наставничеству и заключить "
        "дополнительное соглашение о выполнении этой работы с {{ new.name.ins }}.",
        "4. Установить {{ new.name.dat }} доплату {{ extra_pay }}.",
        "5. Передать {{ new.name.dat }} задачи персонализированной программы наставничества, "
        "не выполненные на {{ changed_on }}.",
        "6. Контроль за исполнением настоящего приказа оставляю за собой.",
    ):
        _p(doc, line)
    _signature(doc)
    _acquaintance(doc)
    _executor(doc)
    return doc


def termination_order() -> DocxDocument:
    doc = _document()
    _letterhead(doc, "ПРИКАЗ", "О досрочном прекращении наставничества")
    _p(
        doc,
        "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, Положением о "
        "системе наставничества педагогических работников {{ school.short_gen }}"
        + POLOZHENIE_REF
        + "{% if reason_text %}, в связи с досрочным прекращением наставничества (причина — "
        "{{ reason_text }}){% endif %}",
    )
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    for line in (
        "1. Прекратить досрочно с {{ ended_on }} наставничество {{ mentor.name.gen }}, "
        "{{ mentor.position.gen }}, в отношении {% for m in mentees %}{{ m.name.gen }}, "
        "{{ m.position.gen }}{% if not loop.last %}; {% endif %}{% endfor %}{% if pairs_order %}"
        ", закреплённых за наставником приказом от {{ pairs_order.date }} № "
        "{{ pairs_order.number }}{% endif %}.",
        "2. Прекратить с {{ ended_on }} выплату доплаты {{ mentor.name.dat }} за выполнение "
        "работы по наставничеству в отношении указанных наставляемых и действие "
        "дополнительного соглашения к трудовому договору о выполнении этой работы в этой части.",
        "{% if curator %}3. Куратору наставничества {{ curator.name.dat }} в течение десяти "
        "рабочих дней подвести итоги выполнения персонализированной программы наставничества "
        "на {{ ended_on }} и внести сведения в базу наставников и наставляемых.{% else %}3. "
        "В течение десяти рабочих дней подвести итоги выполнения персонализированной программы "
        "наставничества на {{ ended_on }} и внести сведения в базу наставников и "
        "наставляемых.{% endif %}",
        "4. Контроль за исполнением настоящего приказа оставляю за собой.",
    ):
        _p(doc, line)
    _signature(doc)
    _acquaintance(doc)
    _executor(doc)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    DocKind.POLOZHENIE: polozhenie_order,
    DocKind.PAIRS: pairs_order,
    DocKind.CURATOR: curator_order,
    DocKind.AGREEMENT: agreement,
    DocKind.COMPLETION: completion_order,
    DocKind.REPLACEMENT: replacement_order,
    DocKind.TERMINATION: termination_order,
}


@cache
def shipped_template(kind: str) -> bytes:
    buffer = io.BytesIO()
    BUILDERS[kind]().save(buffer)
    return buffer.getvalue()


def _order(doc, subject: str, preamble: str, items: list[str]) -> None:
    _letterhead(doc, "ПРИКАЗ", subject)
    _p(doc, preamble)
    _p(doc, "ПРИКАЗЫВАЮ:", bold=True, indent=False, space=6)
    for line in items:
        _p(doc, line)
    _signature(doc)


def pep_rules_order() -> DocxDocument:
    """Приказ об утверждении Положения об использовании простой электронной подписи (63-ФЗ
    ст. 6, 9: the participants' agreement that makes a ПЭП equal to a handwritten signature)."""
    from apps.documents.signing_rules import PEP_RULES

    doc = _document()
    _order(
        doc,
        "Об утверждении Положения об использовании простой электронной подписи",
        "В соответствии с Федеральным законом от 06.04.2011 № 63-ФЗ «Об электронной подписи», "
        "статьями 22.1–22.3 Трудового кодекса Российской Федерации, в целях ознакомления "
        "работников с локальными нормативными актами и подписания документов системы "
        "наставничества в электронном виде",
        [
            "1. Утвердить Положение об использовании простой электронной подписи в "
            "{{ school.name_loc }} (приложение).",
            "2. Установить, что работник подписывает документы простой электронной подписью "
            "после того, как примет Положение в информационной системе «Наставник»; работник, "
            "не принявший Положение, подписывает документы собственноручно.",
            "{% if curator %}3. Куратору наставничества {{ curator.name.dat }} ознакомить "
            "работников с Положением.{% else %}3. Ознакомить работников с Положением.{% endif %}",
            "4. Контроль за исполнением настоящего приказа оставляю за собой.",
        ],
    )
    _acquaintance(doc)
    _executor(doc)
    _appendix(doc, "Приложение")
    _center(doc, "ПОЛОЖЕНИЕ", bold=True)
    _center(
        doc,
        "об использовании простой электронной подписи в {{ school.name_loc }}",
        bold=True,
        space=12,
    )
    for title, paragraphs in PEP_RULES:
        _center(doc, title, bold=True, space=6)
        for line in paragraphs:
            _p(doc, line)
    return doc


def pd_responsible_order() -> DocxDocument:
    """ст. 18.1 ч. 1 п. 1 и ст. 22.1 152-ФЗ: the operator appoints the person responsible."""
    doc = _document()
    _order(
        doc,
        "О назначении ответственного за организацию обработки персональных данных",
        "В соответствии со статьями 18.1 и 22.1 Федерального закона от 27.07.2006 № 152-ФЗ "
        "«О персональных данных»",
        [
            "1. Назначить {{ person.name.acc }}, {{ person.position.acc }}, {{ responsible_word }} "
            "за организацию обработки персональных данных в {{ school.name_loc }}.",
            "2. Ответственному за организацию обработки персональных данных:",
            "2.1. осуществлять внутренний контроль за соблюдением образовательной организацией и "
            "её работниками законодательства Российской Федерации о персональных данных, в том "
            "числе требований к защите персональных данных;",
            "2.2. доводить до сведения работников положения законодательства Российской "
            "Федерации о персональных данных, локальных актов по вопросам обработки персональных "
            "данных, требований к защите персональных данных;",
            "2.3. организовывать приём и обработку обращений и запросов субъектов персональных "
            "данных или их представителей и осуществлять контроль за приёмом и обработкой таких "
            "обращений и запросов.",
            "3. Установить, что ответственный за организацию обработки персональных данных "
            "получает указания непосредственно от руководителя образовательной организации и "
            "подотчётен ему (часть 2 статьи 22.1 Федерального закона № 152-ФЗ).",
            "4. Указать сведения об ответственном за организацию обработки персональных данных в "
            "уведомлении об обработке персональных данных (пункт 7.1 части 3 статьи 22 "
            "Федерального закона № 152-ФЗ).",
            "5. Контроль за исполнением настоящего приказа оставляю за собой.",
        ],
    )
    _acquaintance(doc)
    _executor(doc)
    return doc


def pd_systems_order() -> DocxDocument:
    """The list of the operator's information systems of personal data (ст. 18.1, 19 152-ФЗ;
    постановление Правительства № 1119)."""
    doc = _document()
    _order(
        doc,
        "Об утверждении перечня информационных систем персональных данных",
        "В соответствии со статьями 18.1 и 19 Федерального закона от 27.07.2006 № 152-ФЗ «О "
        "персональных данных», постановлением Правительства Российской Федерации от "
        "01.11.2012 № 1119 «Об утверждении требований к защите персональных данных при их "
        "обработке в информационных системах персональных данных»",
        [
            "1. Утвердить перечень информационных систем персональных данных "
            "{{ school.short_gen }} (приложение).",
            "{% if responsible %}2. Ответственному за организацию обработки персональных данных "
            "{{ responsible.name.dat }} поддерживать перечень в актуальном состоянии и "
            "представлять изменения на утверждение.{% else %}2. Поддерживать перечень в "
            "актуальном состоянии.{% endif %}",
            "3. Контроль за исполнением настоящего приказа оставляю за собой.",
        ],
    )
    _executor(doc)
    _appendix(doc, "Приложение")
    _center(doc, "Перечень информационных систем персональных данных", bold=True, space=12)
    _table(
        doc,
        ["№", "Информационная система", "Цель обработки", "Субъекты и категории данных",
         "Место нахождения базы данных"],
        ["{{ s.n }}", "{{ s.name }}", "{{ s.purpose }}", "{{ s.subjects }}", "{{ s.location }}"],
        "for s in systems",
        [0.8, 3.4, 4.2, 4.4, 3.2],
        size=11,
    )  # fmt: skip
    return doc


def pd_notice() -> DocxDocument:
    """The pre-filled notification to Роскомнадзор (ч. 3 ст. 22 152-ФЗ): every item of the law
    in a table, filled from the school's settings; sent on the portal or on paper."""
    doc = _document()
    _p(doc, "В {{ rkn_office }}", align=WD_ALIGN_PARAGRAPH.RIGHT, space=12)
    _center(doc, "УВЕДОМЛЕНИЕ", bold=True)
    _center(doc, "об обработке (о намерении осуществлять обработку) персональных данных", bold=True)
    _date_and_number(doc, "№ ")
    _p(
        doc,
        "{{ school.full_name }} в соответствии со статьёй 22 Федерального закона от 27.07.2006 "
        "№ 152-ФЗ «О персональных данных» уведомляет об обработке персональных данных и "
        "сообщает следующие сведения.",
        space=6,
    )
    _table(
        doc,
        ["№", "Сведения (часть 3 статьи 22)", "Содержание"],
        ["{{ r.n }}", "{{ r.item }}", "{{ r.value }}"],
        "for r in notice",
        [0.8, 5.2, 10],
        size=11,
    )
    _signature(doc)
    _executor(doc)
    return doc


BUILDERS.update(
    {
        DocKind.PEP_RULES: pep_rules_order,
        DocKind.PD_RESPONSIBLE: pd_responsible_order,
        DocKind.PD_SYSTEMS: pd_systems_order,
        DocKind.PD_NOTICE: pd_notice,
    }
)
