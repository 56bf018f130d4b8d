"""Views, public pages and the API never spell the tenancy filter by hand.

They ask the querysets (`Model.objects.of(org)` / `.within(org)`) or `get_for(org, Model, pk)`;
this test reads their source and names every query that filters on the organisation itself.
"""

import ast
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[2]
QUERY_CALLS = {"filter", "exclude", "get", "get_object_or_404", "Q"}


def _interface_files() -> list[Path]:
    files = {
        *APPS.glob("*/views.py"),
        *APPS.glob("*/views_*.py"),
        *APPS.glob("*/views/*.py"),
        APPS / "publicity" / "public.py",
        *(APPS / "api").rglob("*.py"),
    }
    return sorted(
        path for path in files if "tests" not in path.parts and "migrations" not in path.parts
    )


def _is_tenancy_lookup(name: str) -> bool:
    return (
        name in {"organisation", "organisation_id"}
        or name.endswith(("__organisation", "__organisation_id"))
        or "path__startswith" in name
    )


def hand_filters(source: str) -> list[str]:
    """`line: call(keyword=…)` for every query call that filters on an organisation."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in QUERY_CALLS:
            continue
        found += [
            f"{node.lineno}: {name}({keyword.arg}=…)"
            for keyword in node.keywords
            if keyword.arg and _is_tenancy_lookup(keyword.arg)
        ]
    return found


def test_it_finds_the_hand_written_filters():
    source = (
        "Event.objects.filter(organisation=org)\n"
        "get_object_or_404(Document, organisation=org, pk=1)\n"
        "Task.objects.filter(programme__unit__organisation_id=org.pk)\n"
        "Q(organisation__path__startswith=org.path)\n"
        "AuditEvent.objects.filter(org_path__startswith=org.path)\n"
        "SurveyTemplate(organisation=org)\n"
        "Event.objects.of(org).filter(is_public=True)\n"
    )

    assert hand_filters(source) == [
        "1: filter(organisation=…)",
        "2: get_object_or_404(organisation=…)",
        "3: filter(programme__unit__organisation_id=…)",
        "4: Q(organisation__path__startswith=…)",
        "5: filter(org_path__startswith=…)",
    ]


@pytest.mark.parametrize("path", _interface_files(), ids=lambda path: str(path.relative_to(APPS)))
def test_it_keeps_tenancy_in_the_querysets(path):
    assert hand_filters(path.read_text(encoding="utf-8")) == []
