"""Rules of our stylesheet that keep pages from scrolling sideways on a phone."""

import re
from pathlib import Path

from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"


def rules_for(selector: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(
        body for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", text)
        if selector in [s.strip() for s in selectors.split(",")]
    )  # fmt: skip


def test_it_keeps_hidden_table_headers_inside_the_scrolling_box():
    # A visually hidden «Действия» header is position: absolute; with no positioned ancestor
    # it escaped .table-responsive and made the competency catalogue 441 px wide at 360 px.
    assert re.search(r"position:\s*relative", rules_for(".table-responsive"))
