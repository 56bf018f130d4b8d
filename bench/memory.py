"""A web worker's memory after warm-up: a real gunicorn (one sync worker, DEBUG off, the file
cache as in production) on a fresh SQLite database with the demo data. The demo curator, head,
mentor and methodist log in and open their everyday pages a few times each; then the worker's
resident memory (VmRSS in /proc/<pid>/status) is read. Goal: ≤ 120 MB (issue 22).

Anchor in the same run: a bare Django project (the settings of `startproject`, one template
view) served by the same gunicorn and warmed with as many requests. Each repeat starts both
servers afresh. Printed too: the libraries with compiled parts mapped into the worker (numpy,
OR-Tools, lxml…), and which of the heavy libraries that tests/test_lazy_imports.py keeps out of
the URLconf are imported by serving the same pages (walked once more in a fresh process with
Django's test client, whose modules can be read).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from common import REPEATS, ROOT, Stats, in_process, row

# bench/ is on sys.path when this file runs as a script (as `make bench` does).
from load import Browser, VUser, login
from public_load import HOST, Server, prepare_demo, server_env

GOAL_MB = 120
PASSWORD = "demo12345"  # noqa: S105 — the demo accounts (README)

# (role, e-mail, pages; {o} — the organisation the user's home page leads to)
ROLES = [
    ("куратор", "curator@school7.demo", [
        "/o/{o}/", "/o/{o}/staff/", "/o/{o}/banks/mentees/", "/o/{o}/banks/mentors/",
        "/o/{o}/units/", "/o/{o}/roadmap/", "/o/{o}/monitoring/", "/o/{o}/documents/",
        "/my/notifications/",
    ]),
    ("руководитель", "head@school7.demo", [
        "/o/{o}/", "/o/{o}/staff/", "/o/{o}/banks/mentees/", "/o/{o}/units/",
        "/o/{o}/roadmap/", "/o/{o}/monitoring/", "/o/{o}/documents/", "/my/notifications/",
    ]),
    ("наставник", "mentor1@school7.demo", ["/my/units/", "/my/events/", "/my/notifications/"]),
    ("методист", "methodist@ensk.demo", [
        "/o/{o}/", "/o/{o}/staff/", "/o/{o}/roadmap/schools/", "/o/{o}/monitoring/",
        "/my/notifications/",
    ]),
]  # fmt: skip

BARE_SETTINGS = '''"""A bare Django project: the settings of `startproject`, one template view."""
from django.shortcuts import render
from django.urls import path

SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["{host}"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bare_settings"
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": ["{templates}"],
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]}},
}}]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "{db}"}}}}
STATIC_URL = "static/"
USE_TZ = True


def page(request):
    rows = [{{"n": n, "name": f"Строка {{n}}"}} for n in range(50)]
    return render(request, "page.html", {{"title": "Голый Django", "rows": rows}})


urlpatterns = [path("", page)]
'''

BARE_TEMPLATE = """<!doctype html><html lang="ru"><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><table>{% for r in rows %}<tr><td>{{ r.n }}</td><td>{{ r.name }}</td></tr>
{% endfor %}</table></body></html>
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def mapped_packages(pid: int) -> list[str]:
    """site-packages' top-level names with a shared object mapped into the process."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        match = re.search(r"site-packages/([^/]+)/", line)
        if match and ".so" in line.rsplit("/", 1)[-1]:
            found.add(match.group(1).removesuffix(".libs"))
    return sorted(found)


def the_worker(server: Server) -> int:
    workers = server.pids()[1:]
    if len(workers) != 1:
        raise SystemExit(f"ожидался один воркер gunicorn, найдено {len(workers)}")
    return workers[0]


class ClientBrowser:
    """Django's test client behind `load.Browser`'s interface (in a process with Django)."""

    def __init__(self) -> None:
        from django.test import Client

        self.client = Client(SERVER_NAME=HOST)

    @property
    def cookies(self) -> dict[str, str]:
        return {name: morsel.value for name, morsel in self.client.cookies.items()}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        send = self.client.post if method == "POST" else self.client.get
        response = send(path, form or {})
        return response.status_code, response.get("Location", "")

    def close(self) -> None:
        pass


def warm_project(new_browser, rounds: int) -> tuple[int, list[str]]:
    """Every role logs in and opens its pages `rounds` times: (requests, problems)."""
    requests, problems = 0, []
    for role, email, pages in ROLES:
        browser = new_browser()
        error = login(browser, VUser(role=role, email=email, password=PASSWORD))
        requests += 2
        if error:
            problems.append(f"{role}: {error}")
            continue
        status, location = browser.request("GET", "/")
        requests += 1
        org = location.rstrip("/").rsplit("/", 1)[-1] if status == 302 else ""
        for _ in range(rounds):
            for page in pages:
                path = page.format(o=org)
                status, _ = browser.request("GET", path)
                requests += 1
                if status != 200:
                    problems.append(f"{role} {path}: HTTP {status}")
        browser.close()
    return requests, sorted(set(problems))


def warm_bare(server: Server, requests: int) -> None:
    browser = Browser(server.port)
    for _ in range(requests):
        status, _ = browser.request("GET", "/")
        if status != 200:
            raise SystemExit(f"голый Django ответил HTTP {status}")
    browser.close()


def measure_project(env: dict, tmp: Path, rounds: int) -> tuple[float, int, list[str], list[str]]:
    server = Server(env, tmp, workers=1)
    try:
        if not server.wait_ready("/accounts/login/"):
            raise SystemExit("Сервер не запустился:\n" + server.log_tail())
        requests, problems = warm_project(lambda: Browser(server.port), rounds)
        pid = the_worker(server)
        if "Traceback" in server.log_tail(200):
            problems.append("в журнале gunicorn есть ошибки:\n" + server.log_tail())
        return rss_mb(pid), requests, problems, mapped_packages(pid)
    finally:
        server.stop()


def measure_bare(env: dict, tmp: Path, requests: int) -> float:
    server = Server(env, tmp, workers=1)
    try:
        if not server.wait_ready("/"):
            raise SystemExit("Голый Django не запустился:\n" + server.log_tail())
        warm_bare(server, requests)
        return rss_mb(the_worker(server))
    finally:
        server.stop()


def one_modules(tmp: Path) -> None:
    """In a fresh process: serve the warm-up pages with the test client on the bench's database,
    print which heavy libraries got imported."""
    os.environ.pop("NASTAVNIK_TESTING", None)
    os.environ.update(server_env(tmp))
    os.environ["DJANGO_SETTINGS_MODULE"] = "nastavnik.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from tests.test_lazy_imports import HEAVY

    _requests, problems = warm_project(ClientBrowser, rounds=1)
    loaded = sorted(name for name in HEAVY if name in sys.modules)
    print(json.dumps({"loaded": loaded, "problems": problems}), flush=True)


def bare_env(tmp: Path) -> dict[str, str]:
    """The same server environment, but gunicorn's `nastavnik.wsgi` loads the bare settings:
    it only sets DJANGO_SETTINGS_MODULE when unset and imports nothing of the project."""
    folder = tmp / "bare"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "page.html").write_text(BARE_TEMPLATE, encoding="utf-8")
    (folder / "bare_settings.py").write_text(
        BARE_SETTINGS.format(host=HOST, templates=folder / "templates", db=folder / "db.sqlite3"),
        encoding="utf-8",
    )
    env = server_env(tmp)
    env.update(DJANGO_SETTINGS_MODULE="bare_settings", PYTHONPATH=str(folder))
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="fresh servers, ≥ 3")
    parser.add_argument("--rounds", type=int, default=3, help="visits of each page per role")
    parser.add_argument("--one", metavar="TMP", help=argparse.SUPPRESS)  # the modules' check
    args = parser.parse_args()
    if args.one:
        one_modules(Path(args.one))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    try:
        env = server_env(tmp)
        prepare_demo(env)
        benv = bare_env(tmp)
        ours, anchor = [], []
        problems: set[str] = set()
        packages: list[str] = []
        requests = 0
        for _ in range(max(3, args.repeats)):
            mb, requests, found, packages = measure_project(env, tmp, args.rounds)
            ours.append(mb)
            problems.update(found)
            anchor.append(measure_bare(benv, tmp, requests))
        print(
            f"gunicorn: 1 sync-воркер, DEBUG=0, SQLite с демо-данными; прогрев: куратор, "
            f"руководитель, наставник и методист, каждая страница × {args.rounds} "
            f"({requests} запросов, столько же — голому Django); {len(ours)} повтора, "
            "каждый на свежих серверах."
        )
        row("память воркера после прогрева (VmRSS)", Stats(ours), Stats(anchor), "MB",
            goal=f"≤ {GOAL_MB} MB")  # fmt: skip
        median = Stats(ours).median
        verdict = (
            "достигнута" if median <= GOAL_MB else f"НЕ достигнута: +{median - GOAL_MB:.0f} MB"
        )
        print(f"цель ≤ {GOAL_MB} MB (медиана): {verdict}")
        print("библиотеки с машинным кодом в воркере: " + (", ".join(packages) or "нет"))
        served = in_process(__file__, str(tmp))
        problems.update(served["problems"])
        print(
            "тяжёлые библиотеки, импортированные этими страницами (тестовый клиент): "
            + (", ".join(served["loaded"]) or "ни одной")
        )
        for problem in sorted(problems):
            print(f"  ВНИМАНИЕ: {problem}")
        return 1 if any("Traceback" in p for p in problems) else 0
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
