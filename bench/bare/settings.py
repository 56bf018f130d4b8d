"""Bare Django: no apps, no middleware, no database; one view renders one small template. It is
served by the same gunicorn as the project, so the public pages are measured against it."""

from pathlib import Path

SECRET_KEY = "bench-only"  # noqa: S105 — a throwaway server
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    }
]
USE_TZ = True
LOGGING_CONFIG = None  # gunicorn logs; the view never fails
