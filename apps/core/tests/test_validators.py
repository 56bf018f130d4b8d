import pytest
from django import forms
from django.core.exceptions import ValidationError

from apps.core.validators import NoControlCharacters, guard_text_fields


class Sample(forms.Form):
    name = forms.CharField(label="Название")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(required=False)

    def full_clean(self):
        guard_text_fields(self.fields)
        super().full_clean()


def test_it_refuses_a_control_character_naming_the_field():
    form = Sample({"name": "Школа\x1b"})
    assert form.errors == {
        "name": [
            "Поле «Название» содержит невидимый управляющий символ U+001B (знак № 6). Такие "
            "символы попадают при копировании из других программ: удалите его и сохраните снова."
        ]
    }


def test_it_guards_every_text_field_once_and_leaves_the_class_alone():
    form = Sample({"name": "Школа"})
    assert form.is_valid()
    form.full_clean()

    def guards(field):
        return sum(isinstance(v, NoControlCharacters) for v in field.validators)

    assert {name: guards(field) for name, field in form.fields.items()} == {
        "name": 1,
        "email": 1,
        "count": 0,
    }
    assert guards(Sample.base_fields["name"]) == 0


def test_it_ignores_values_that_are_not_strings():
    NoControlCharacters("Поле")({"a": "\x0b"})


def test_it_raises_a_validation_error_with_a_code():
    with pytest.raises(ValidationError) as error:
        NoControlCharacters("Тема")("a\x7f")
    assert error.value.code == "control_character"
