"""Turning what a respondent typed into a stored answer, per question type. No Django here.

`parse_answer` takes the raw form values of one question and returns the value to store
(None when left empty) or raises AnswerError with a message for the respondent.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from apps.core.text import describe_control_character


class AnswerError(ValueError):
    """The answer cannot be accepted; str() is the Russian message."""


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    choices: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    competency_ids: tuple[int, ...] = ()
    max_text: int = 5000


def parse_answer(
    spec: QuestionSpec, values: Sequence[str], grid: Mapping[int, str] | None = None
) -> object:
    """Stored value for one question. `values` are the form values of the field;
    `grid` maps competency id → chosen level for a competency grid."""
    values = [v.strip() for v in values if v is not None and v.strip() != ""]
    if spec.kind == "grid":
        return _grid(spec, grid or {})
    if not values:
        return None
    if spec.kind == "single":
        if values[0] not in spec.choices:
            raise AnswerError("Выберите один из предложенных вариантов.")
        return values[0]
    if spec.kind == "multiple":
        unknown = [v for v in values if v not in spec.choices]
        if unknown:
            raise AnswerError("Выберите варианты из списка.")
        return [c for c in spec.choices if c in values]  # keep the template's order
    if spec.kind == "scale":
        return _scale(spec, values[0])
    if spec.kind == "text":
        text = values[0]
        if where := describe_control_character(text):
            raise AnswerError(
                f"Ответ содержит невидимый управляющий символ {where}: удалите его "
                "(он попадает при копировании из других программ)."
            )
        if len(text) > spec.max_text:
            raise AnswerError(f"Ответ длиннее {spec.max_text} символов — сократите его.")
        return text
    if spec.kind == "date":
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(values[0], fmt).date().isoformat()  # noqa: DTZ007
            except ValueError:
                continue
        raise AnswerError("Укажите дату в формате ДД.ММ.ГГГГ.")
    raise AnswerError("Неизвестный тип вопроса.")


def _scale(spec: QuestionSpec, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise AnswerError("Выберите значение на шкале.") from None
    if not spec.scale_min <= value <= spec.scale_max:
        raise AnswerError(f"Значение должно быть от {spec.scale_min} до {spec.scale_max}.")
    return value


def _grid(spec: QuestionSpec, grid: Mapping[int, str]) -> dict[str, int] | None:
    result: dict[str, int] = {}
    for competency_id, raw in grid.items():
        if competency_id not in spec.competency_ids:
            raise AnswerError("В сетке есть компетенция не из каталога школы.")
        if raw is None or str(raw).strip() == "":
            continue
        result[str(competency_id)] = _scale(spec, str(raw))
    return result or None


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}
