import pytest

from apps.core.text import (
    control_character_message,
    describe_control_character,
    strip_unsafe,
)


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("ab\x0bc", "U+000B (знак № 3)"),
        ("\x1b[31m", "U+001B (знак № 1)"),
        ("Иванов\x18", "U+0018 (знак № 7)"),
        ("x\x00", "U+0000 (знак № 2)"),
        ("del\x7f", "U+007F (знак № 4)"),
        ("c1\x85", "U+0085 (знак № 3)"),
        ("c1\x9f", "U+009F (знак № 3)"),
    ],
)
def test_it_finds_the_first_control_character(value, where):
    assert describe_control_character(value) == where


@pytest.mark.parametrize("value", ["", "обычный текст", "строка\nвторая\r\nтретья\tтаб", "€ — «»"])
def test_it_allows_tab_newlines_and_ordinary_text(value):
    assert describe_control_character(value) is None
    assert control_character_message("Тема", value) is None


def test_it_names_the_field_in_the_message():
    assert control_character_message("Тема встречи", "План\x0b") == (
        "Поле «Тема встречи» содержит невидимый управляющий символ U+000B (знак № 5). Такие "
        "символы попадают при копировании из других программ: удалите его и сохраните снова."
    )


def test_it_strips_what_xml_cannot_hold():
    assert strip_unsafe("a\x00b\x0bc\x1bd\x7fe\x85f\ud800g\ufffeh\uffffi\tj\nk\rl") == (
        "abcdefghi\tj\nk\rl"
    )
