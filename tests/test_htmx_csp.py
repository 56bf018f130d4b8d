"""htmx must not add its inline indicator <style> (the CSP allows styles only from our files):
every page that loads htmx configures `includeIndicatorStyles: false`, and our CSS carries the
indicator rules htmx would have injected."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_page_loading_htmx_turns_its_inline_styles_off():
    loading = [
        p for p in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")]
        if "htmx_script" in p.read_text(encoding="utf-8") or "htmx.min.js" in p.read_text(
            encoding="utf-8")
    ]  # fmt: skip
    assert loading == [ROOT / "templates" / "base.html"]
    assert '"includeIndicatorStyles": false' in loading[0].read_text(encoding="utf-8")
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-indicator { opacity: 0; }" in css
    assert ".htmx-request .htmx-indicator" in css


@pytest.mark.django_db
def test_the_rendered_page_carries_the_config(curator_client, school):
    page = curator_client.get(f"/o/{school.pk}/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page
    assert "<style" not in page
