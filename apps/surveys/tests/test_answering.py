"""Parsing answers per question type (pure, no database)."""

import pytest

from apps.surveys.answering import AnswerError, QuestionSpec, parse_answer

SINGLE = QuestionSpec("single", choices=("Да", "Нет"))
MULTI = QuestionSpec("multiple", choices=("А", "Б", "В"))
SCALE = QuestionSpec("scale", scale_min=1, scale_max=10)
GRID = QuestionSpec("grid", scale_min=1, scale_max=5, competency_ids=(7, 8))


def test_it_parses_each_kind():
    assert parse_answer(SINGLE, ["Да"]) == "Да"
    assert parse_answer(MULTI, ["В", "А", ""]) == ["А", "В"]
    assert parse_answer(SCALE, ["10"]) == 10
    assert parse_answer(QuestionSpec("text"), ["  текст "]) == "текст"
    assert parse_answer(QuestionSpec("date"), ["2026-12-01"]) == "2026-12-01"
    assert parse_answer(QuestionSpec("date"), ["01.12.2026"]) == "2026-12-01"
    assert parse_answer(GRID, [], {7: "3", 8: ""}) == {"7": 3}


def test_empty_answers_are_none():
    assert parse_answer(SINGLE, [""]) is None
    assert parse_answer(MULTI, []) is None
    assert parse_answer(GRID, [], {}) is None


@pytest.mark.parametrize(
    ("spec", "values", "grid", "message"),
    [
        (SINGLE, ["Может быть"], None, "Выберите один из предложенных вариантов."),
        (MULTI, ["Г"], None, "Выберите варианты из списка."),
        (SCALE, ["11"], None, "Значение должно быть от 1 до 10."),
        (SCALE, ["abc"], None, "Выберите значение на шкале."),
        (QuestionSpec("date"), ["31.02.2026"], None, "Укажите дату в формате ДД.ММ.ГГГГ."),
        (GRID, [], {9: "3"}, "В сетке есть компетенция не из каталога школы."),
        (GRID, [], {7: "6"}, "Значение должно быть от 1 до 5."),
        (QuestionSpec("text", max_text=3), ["длинно"], None, "Ответ длиннее 3 символов"),
    ],
)
def test_it_refuses_bad_values(spec, values, grid, message):
    with pytest.raises(AnswerError, match=message):
        parse_answer(spec, values, grid)


def test_it_refuses_a_control_character_in_text():
    with pytest.raises(AnswerError) as error:
        parse_answer(QuestionSpec("text"), ["Хочу\x1b расти"])
    assert str(error.value) == (
        "Ответ содержит невидимый управляющий символ U+001B (знак № 5): удалите его "
        "(он попадает при копировании из других программ)."
    )
