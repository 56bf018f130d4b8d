"""Every string a request may carry is a SafeStr (or a fixed choice): no control characters."""

import importlib
import inspect
import pkgutil
from typing import Annotated

import pytest
from ninja import Schema
from pydantic import TypeAdapter, ValidationError

import apps.api.endpoints


def input_fields() -> list[tuple[str, object]]:
    fields = []
    for info in pkgutil.iter_modules(apps.api.endpoints.__path__, "apps.api.endpoints."):
        module = importlib.import_module(info.name)
        for name, schema in inspect.getmembers(module, inspect.isclass):
            if issubclass(schema, Schema) and name.endswith(("In", "Patch", "Filter")):
                for field_name, field in schema.model_fields.items():
                    annotation = (
                        Annotated[(field.annotation, *field.metadata)]
                        if field.metadata
                        else field.annotation
                    )
                    fields.append((f"{name}.{field_name}", annotation))
    return fields


def test_it_finds_the_request_schemas():
    names = {name for name, _a in input_fields()}
    assert {"PersonIn.last_name", "EventIn.title", "TaskStatusIn.evidence_link"} <= names


@pytest.mark.parametrize(
    "annotation", [pytest.param(annotation, id=name) for name, annotation in input_fields()]
)
def test_it_refuses_a_control_character_in_every_request_field(annotation):
    adapter = TypeAdapter(annotation)
    for value in ("2025/2026\x0b", ["2025/2026\x0b"]):
        with pytest.raises(ValidationError):
            adapter.validate_python(value)
