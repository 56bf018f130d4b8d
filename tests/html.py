"""Look at one element of a rendered page instead of searching the whole page for a substring.

    from tests.html import text_of, texts, cells, errors

    assert text_of(response, "#bank-count") == "10"          # exactly one element, its text
    assert "Сильная" in texts(response, "table td")         # exact text of some cell
    assert cells(response, "table")[1] == ["Петрова", "5"]   # rows of a table
    assert errors(response) == ["Окончание раньше начала."]  # the form errors shown

Selectors are the simple CSS kind: `tag`, `#id`, `.class`, `[attr]`, `[attr=value]`, combined
(`td.num`, `a[href="/x/"]`) and joined by spaces for descendants (`#stage-4 li`). Text is the
element's visible text with whitespace collapsed. Standard library only (`html.parser`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
SKIPPED = frozenset({"script", "style", "template"})  # their text is not shown


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        if self.tag in SKIPPED:
            return ""
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child._raw_text())
            if not isinstance(child, str) and child.tag in ("br", "p", "div", "li", "td", "th"):
                parts.append(" ")
        return "".join(parts)

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def select(self, selector: str) -> list[Element]:
        steps = [_compound(part) for part in selector.split()]
        found = [self]
        for step in steps:
            matches: list[Element] = []
            seen: set[int] = set()
            for scope in found:
                for element in scope.iter():
                    if id(element) not in seen and step(element):
                        seen.add(id(element))
                        matches.append(element)
            found = matches
        return found

    def __str__(self) -> str:
        return self.text


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # close up to the matching tag
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


_PART = re.compile(r"""([#.]?[\w-]+)|\[([\w-]+)(?:=["']?([^"'\]]*)["']?)?\]""")


def _compound(selector: str):
    tests = []
    for match in _PART.finditer(selector):
        name, attr, value = match.groups()
        if name and name.startswith("#"):
            tests.append(lambda e, v=name[1:]: e.attrs.get("id") == v)
        elif name and name.startswith("."):
            tests.append(lambda e, v=name[1:]: v in e.classes)
        elif name:
            tag = name.lower()
            tests.append(lambda e, v=tag: e.tag == v)
        elif value is None:
            tests.append(lambda e, a=attr: a in e.attrs)
        else:
            tests.append(lambda e, a=attr, v=value: e.attrs.get(a) == v)
    if "".join(m.group(0) for m in _PART.finditer(selector)) != selector:
        raise ValueError(f"Unsupported selector: {selector!r}")
    return lambda element: all(test(element) for test in tests)


def parse(page: Any) -> Element:
    """The element tree of a response, bytes or a string of HTML."""
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode("utf-8")
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def select(page: Any, selector: str) -> list[Element]:
    return parse(page).select(selector)


def texts(page: Any, selector: str) -> list[str]:
    """The text of every element matching `selector`, in page order."""
    return [element.text for element in select(page, selector)]


def one(page: Any, selector: str) -> Element:
    """The only element matching `selector` (an AssertionError when there are none or more)."""
    found = select(page, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}: {[e.text for e in found]}"
    return found[0]


def text_of(page: Any, selector: str) -> str:
    """The text of the only element matching `selector`."""
    return one(page, selector).text


def cells(page: Any, table: str = "table") -> list[list[str]]:
    """The rows of the only table matching `table`, each a list of its cell texts."""
    return _rows(one(page, table))


def tables(page: Any) -> dict[str, list[list[str]]]:
    """Every table of the page as rows of cell texts, by the text of its first cell."""
    found = {}
    for table in select(page, "table"):
        rows = _rows(table)
        found[rows[0][0] if rows and rows[0] else ""] = rows
    return found


def _rows(table: Element) -> list[list[str]]:
    return [
        [cell.text for cell in row.iter() if cell.tag in ("td", "th")] for row in table.select("tr")
    ]


def column(page: Any, table: str = "table", index: int = 0) -> list[str]:
    """The `index`-th cell of every body row of the table (header rows of `th` only skipped)."""
    rows = [
        [cell for cell in row.iter() if cell.tag in ("td", "th")]
        for row in one(page, table).select("tr")
    ]
    return [row[index].text for row in rows if any(cell.tag == "td" for cell in row)]


def errors(page: Any) -> list[str]:
    """Form errors and error alerts shown on the page (field errors, non-field errors)."""
    return texts(page, ".invalid-feedback") + texts(page, ".alert-danger")


def alerts(page: Any) -> list[str]:
    """The text of every `role="alert"` element (messages, non-field errors)."""
    return texts(page, "[role=alert]")


def definitions(page: Any, scope: str = "") -> dict[str, str]:
    """`<dt>` → `<dd>` texts of the description lists (within `scope`, if given)."""
    found: dict[str, str] = {}
    for dl in select(page, f"{scope} dl".strip()):
        term = None
        for element in dl.iter():
            if element.tag == "dt":
                term = element.text
            elif element.tag == "dd" and term is not None:
                found[term] = element.text
                term = None
    return found


def records(page: Any, table: str = "table") -> list[dict[str, str]]:
    """The body rows of the only table matching `table`, each as {header text: cell text}."""
    header, *body = cells(page, table)
    return [dict(zip(header, row, strict=False)) for row in body]
