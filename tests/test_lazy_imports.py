"""A web worker does not load the heavy libraries a page does not need.

Starting Django and importing the URLconf with every view module must leave the solver
(OR-Tools, numpy), the office formats (openpyxl, python-docx, docxtpl), the signature
(gostcrypto, asn1crypto), QR codes, morphology dictionaries, PDF and the scheduler unloaded:
they cost a worker tens of megabytes (bench/memory.py) and are imported by the functions that
use them. Checked in a fresh interpreter, since this test process has imported them already.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAVY = [
    "apscheduler",
    "asn1crypto",
    "docx",
    "docxtpl",
    "gostcrypto",
    "numpy",
    "openpyxl",
    "ortools",
    "pymorphy3",
    "reportlab",
    "scipy",
    "segno",
    "weasyprint",
]

PROBE = """
import functools, json, sys
import django
django.setup()
from django.urls import URLPattern, URLResolver, get_resolver

def walk(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            view = entry.callback
            while isinstance(view, functools.partial):
                view = view.func
            yield view.__module__

modules = set(walk(get_resolver().url_patterns))
heavy = json.loads(sys.argv[1])
loaded = sorted(name for name in heavy if name in sys.modules)
print(json.dumps({"views": len(modules), "loaded": loaded}))
"""


def test_it_imports_no_heavy_library_with_the_urlconf():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nastavnik.settings", "NASTAVNIK_TESTING": "1"}
    done = subprocess.run(  # noqa: S603 — our own interpreter
        [sys.executable, "-c", PROBE, json.dumps(HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["views"] > 20
    assert result["loaded"] == []
