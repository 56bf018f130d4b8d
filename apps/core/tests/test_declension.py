"""Names and positions in the cases orders need: a table of hard cases (petrovich alone gets
several of them wrong — the module's rules fix those)."""

import pytest

from apps.core.declension import (
    Case,
    Gender,
    decline_name,
    decline_org_name,
    decline_position,
    guess_gender,
    initials_name,
)

M, F = Gender.MALE, Gender.FEMALE
G, D, A, INS = Case.GENITIVE, Case.DATIVE, Case.ACCUSATIVE, Case.INSTRUMENTAL

NAMES = [
    # (last, first, middle, gender, case, expected)
    ("Иванова", "Мария", "Петровна", F, A, "Иванову Марию Петровну"),
    ("Иванова", "Мария", "Петровна", F, D, "Ивановой Марии Петровне"),
    ("Петров", "Сергей", "Иванович", M, A, "Петрова Сергея Ивановича"),
    ("Королёв", "Пётр", "Фомич", M, G, "Королёва Петра Фомича"),
    ("Седых", "Никита", "Ильич", M, A, "Седых Никиту Ильича"),  # -ых, male name in -а
    ("Черных", "Анна", "Олеговна", F, INS, "Черных Анной Олеговной"),
    ("Долгих", "Илья", "Андреевич", M, INS, "Долгих Ильёй Андреевичем"),  # -их, Илья
    ("Кузьмин", "Фома", "Лукич", M, D, "Кузьмину Фоме Лукичу"),
    ("Шевченко", "Тарас", "Григорьевич", M, D, "Шевченко Тарасу Григорьевичу"),  # -ко
    ("Живаго", "Юрий", "Андреевич", M, G, "Живаго Юрия Андреевича"),  # -аго
    ("Цой", "Виктор", "Робертович", M, G, "Цоя Виктора Робертовича"),  # Korean
    ("Ким", "Ольга", "Сергеевна", F, G, "Ким Ольги Сергеевны"),  # female: surname stays
    ("Ким", "Андрей", "Сергеевич", M, D, "Киму Андрею Сергеевичу"),
    ("Джугашвили", "Шота", "Георгиевич", M, A, "Джугашвили Шоту Георгиевича"),  # Georgian
    ("Чавчавадзе", "Нино", "", F, D, "Чавчавадзе Нино"),
    ("Алиев", "Рашид", "Мамед оглы", M, G, "Алиева Рашида Мамед оглы"),  # Turkic
    ("Алиева", "Айгюль", "Рашид кызы", F, D, "Алиевой Айгюли Рашид кызы"),
    ("Римская-Корсакова", "Анна", "Петровна", F, A, "Римскую-Корсакову Анну Петровну"),
    ("Петров-Водкин", "Кузьма", "Сергеевич", M, INS, "Петровым-Водкиным Кузьмой Сергеевичем"),
    ("Лукина", "Ольга", "", F, G, "Лукиной Ольги"),  # no patronymic
    ("Гусь", "Лев", "Павлович", M, G, "Гуся Льва Павловича"),
    ("Кузьмич", "Любовь", "Ивановна", F, INS, "Кузьмич Любовью Ивановной"),
]


@pytest.mark.parametrize(("last", "first", "middle", "gender", "case", "expected"), NAMES)
def test_names_decline(last, first, middle, gender, case, expected):
    result = decline_name(last, first, middle, gender, case)
    assert result.text == expected
    assert result.exact


def test_a_foreign_name_falls_back_to_the_nominative_and_is_flagged():
    result = decline_name("Smith", "John", "", M, A)
    assert result.text == "Smith John"
    assert not result.exact
    assert "«Smith» не склоняется автоматически" in result.note


def test_initials_and_gender_fallback():
    assert initials_name("Иванова", "Мария", "Петровна", F, D) == "Ивановой М. П."
    assert initials_name("Лукина", "Ольга", "", F, G) == "Лукиной О."
    assert guess_gender("Петровна") is F
    assert guess_gender("Мамед оглы") is M
    assert guess_gender("") is None


POSITIONS = [
    ("учитель математики", A, "учителя математики"),
    ("учитель начальных классов", A, "учителя начальных классов"),
    ("учитель начальных классов", D, "учителю начальных классов"),
    ("педагог-психолог", INS, "педагогом-психологом"),
    ("учитель-логопед", G, "учителя-логопеда"),
    ("социальный педагог", A, "социального педагога"),
    ("старший воспитатель", D, "старшему воспитателю"),
    ("заместитель директора по учебно-воспитательной работе", G,
     "заместителя директора по учебно-воспитательной работе"),
    ("Учитель русского языка и литературы", INS, "Учителем русского языка и литературы"),
]  # fmt: skip


@pytest.mark.parametrize(("position", "case", "expected"), POSITIONS)
def test_positions_decline_only_the_head(position, case, expected):
    assert decline_position(position, case).text == expected


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»", Case.DATIVE,
         "Муниципальному бюджетному общеобразовательному учреждению «Школа № 1»"),
        ("Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»", Case.PREPOSITIONAL,
         "Муниципальном бюджетном общеобразовательном учреждении «Школа № 1»"),
        ("Школа № 1", Case.GENITIVE, "Школы № 1"),
        ("Лицей «Интеллект»", Case.DATIVE, "Лицею «Интеллект»"),
        ("МБОУ СОШ № 1", Case.GENITIVE, "МБОУ СОШ № 1"),
        ("ГБОУ «Школа № 1234»", Case.PREPOSITIONAL, "ГБОУ «Школа № 1234»"),
    ],
)  # fmt: skip
def test_it_declines_an_organisation_name_but_not_its_quoted_name(name, case, expected):
    assert decline_org_name(name, case).text == expected
