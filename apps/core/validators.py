"""Django validators built on the pure checks of `apps.core.text`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from apps.core.text import control_character_message


class NoControlCharacters:
    """Refuses a string with a control character; the message names the field by its label."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and (message := control_character_message(self.label, value)):
            raise ValidationError(message, code="control_character")


def guard_text_fields(fields: dict[str, forms.Field]) -> None:
    """Add `NoControlCharacters` to every text field of a form, once.

    Call it when the form's fields are final (labels included); a bound form's fields are its
    own copies, so the class's fields stay untouched.
    """
    for name, field in fields.items():
        if isinstance(field, forms.CharField) and not any(
            isinstance(v, NoControlCharacters) for v in field.validators
        ):
            field.validators.append(NoControlCharacters(str(field.label or name)))
