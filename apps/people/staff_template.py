"""The downloadable .xlsx template for the staff import, built from the column definitions."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core.sheets import append_row
from apps.people.importing import COLUMNS


def build_staff_template() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Сотрудники"
    sheet.append([c.title for c in COLUMNS])
    # Numbers as numbers, so Excel does not flag «число сохранено как текст».
    append_row(sheet, [int(c.example) if c.example.isdigit() else c.example for c in COLUMNS])
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.title) + 4)
    sheet.freeze_panes = "A2"
    # Drop-down lists where the values are fixed; typing something else is still allowed
    # (the import reports it), so pasted lists from other programs are not blocked.
    choices = {
        "category": '"высшая,первая,соответствие занимаемой должности,без категории"',
        "is_young_specialist": '"да,нет"',
    }
    for index, column in enumerate(COLUMNS, start=1):
        if column.field in choices:
            validation = DataValidation(
                type="list", formula1=choices[column.field], showErrorMessage=False
            )
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 32

    help_sheet = workbook.create_sheet("Справка")
    help_sheet.append(["Столбец", "Обязательный", "Как заполнять", "Пример"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        append_row(
            help_sheet,
            [column.title, "да" if column.required else "нет", column.help, column.example],
        )
    help_sheet.append([])
    help_sheet.append(
        [
            "Вместо трёх столбцов «Фамилия», «Имя», «Отчество» можно дать один столбец «ФИО».",
        ]
    )
    help_sheet.append(
        [
            "Даты: ДД.ММ.ГГГГ (также ДД.ММ.ГГ, ГГГГ-ММ-ДД или ячейка с датой Excel). "
            "Порядок столбцов любой, лишние столбцы пропускаются.",
        ]
    )
    help_sheet.append(
        [
            "Повторная загрузка обновляет сотрудников с теми же ФИО и датой рождения "
            "(Ё и Е, регистр и лишние пробелы не важны); пустые ячейки данные не стирают.",
        ]
    )
    for letter, width in zip("ABCD", (30, 14, 80, 28), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook
