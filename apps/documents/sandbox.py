"""The only Jinja environment .docx templates are rendered in — shipped ones and those a school
uploads. Uploaded templates are code written by someone we do not fully trust, so:

- `ImmutableSandboxedEnvironment`: no `_`-attributes (`__class__`, `__globals__`, …), no
  `|attr` escape, no mutating the context, `str.format` checked;
- no globals at all (`range`, `lipsum`, `cycler`, `joiner`, `namespace`, `dict` are gone) and
  only a short list of text filters, so nothing beyond the documented variables is reachable;
- the context holds plain dicts, lists, strings and numbers only (`plain()` checks it), so no
  model method can be called from a template;
- string/list repetition and powers are bounded, so a template cannot eat the worker's memory.

Pure: jinja2 only, no Django.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Mapping

from jinja2 import StrictUndefined, Undefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_REPEAT = 10_000  # characters/items a `*` may produce
MAX_EXPONENT = 64
FILTERS = (
    "capitalize", "center", "count", "default", "d", "e", "escape", "first", "float", "format",
    "indent", "int", "join", "last", "length", "list", "lower", "replace", "reverse", "round",
    "sort", "string", "title", "trim", "truncate", "upper", "wordcount",
)  # fmt: skip
TESTS = ("defined", "undefined", "none", "number", "string", "odd", "even", "eq", "ne")
PLAIN_TYPES = (str, int, float, bool, type(None), datetime.date)


class DocumentSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            huge_base = isinstance(left, int) and abs(left).bit_length() > 256
            if huge_base or (isinstance(right, int | float) and abs(right) > MAX_EXPONENT):
                raise SecurityError("степень слишком велика")
            return operator.pow(left, right)
        for seq, times in ((left, right), (right, left)):
            sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
            if sized and len(seq) * max(times, 0) > MAX_REPEAT:
                raise SecurityError("повторение слишком длинное")
        return operator.mul(left, right)


def environment(*, strict: bool = False) -> DocumentSandbox:
    env = DocumentSandbox(
        autoescape=True,
        undefined=StrictUndefined if strict else Undefined,
        keep_trailing_newline=True,
    )
    env.globals.clear()
    allowed = {name: env.filters[name] for name in FILTERS if name in env.filters}
    # `center`/`indent` pad by a number the template gives: bound it like `*`.
    allowed["center"] = lambda value, width=80: str(value).center(min(int(width), MAX_REPEAT))
    allowed["indent"] = lambda value, width=4, first=False, blank=False: env.filters["indent"](
        value, min(int(width), 100) if isinstance(width, int) else width, first, blank
    )
    env.filters.clear()
    env.filters.update(allowed)
    env.tests = {name: env.tests[name] for name in TESTS}
    return env


def plain(value: object, path: str = "context") -> object:
    """Check that the context a template gets is plain data; return it unchanged."""
    if _exactly_plain(value):
        return value
    return _plain(value, path)  # subclasses (Markup, …) are checked here, or the culprit named


def _exactly_plain(value: object) -> bool:
    """The common case checked quickly — built-in types only, no path kept for the message
    (a context of an order for 200 pairs holds some 10 000 values)."""
    kind = type(value)
    if kind in PLAIN_TYPES:
        return True
    if kind is dict:
        return all(type(key) is str and _exactly_plain(item) for key, item in value.items())
    if kind is list or kind is tuple:
        return all(_exactly_plain(item) for item in value)
    return False


def _plain(value: object, path: str) -> object:
    if isinstance(value, PLAIN_TYPES):
        return value
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: ключ {key!r} не строка")
            _plain(item, f"{path}.{key}")
        return value
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _plain(item, f"{path}[{index}]")
        return value
    if hasattr(value, "__html__") and isinstance(value, str):
        return value
    raise TypeError(f"{path}: {type(value).__name__} нельзя передавать в шаблон документа")


def forbidden(parsed) -> list[str]:
    """What an uploaded template asks for that the sandbox would refuse, as Russian phrases —
    said at upload time instead of failing when a document is issued."""
    from jinja2 import nodes

    found: list[str] = []
    kinds = (nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test, nodes.Call)
    for node in parsed.find_all(kinds):
        if isinstance(node, nodes.Call):
            found.append("вызов функций и методов «( )»")
        elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            found.append(f"служебный атрибут «{node.attr}»")
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
            and node.arg.value.startswith("_")
        ):
            found.append(f"служебный атрибут «{node.arg.value}»")
        elif isinstance(node, nodes.Filter) and node.name not in FILTERS:
            found.append(f"фильтр «{node.name}»")
        elif isinstance(node, nodes.Test) and node.name not in TESTS:
            found.append(f"проверка «{node.name}»")
    return sorted(set(found))
