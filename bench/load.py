"""Logged-in work under load on PostgreSQL: a real gunicorn (DEBUG off, the file cache, persistent
database connections as in production) on a fresh database with region-size data (the one generator,
bench/data.py populate(): 1 000 schools, 50 000 staff, 10 000 units) plus the demo. Virtual curators
and mentors log in once and then walk their pages for a fixed time over keep-alive connections
(processes × threads), now and then writing (a roadmap item, a diary entry). Prints requests,
req/s, latency percentiles and errors per page and role (goal: 0 errors, p95 ≤ 200 ms with
50 users on 2 cores).

The fault run restarts PostgreSQL in the middle of the load (only when nobody else uses the
server: no pytest running, no connections to other databases), then checks that every write
answered with success is in the database and that the app recovered without a gunicorn restart.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import psycopg

# bench/ is on sys.path when this file runs as a script (as `make bench` does).
from public_load import CLK_TCK, HOST, ROOT, free_port, machine_busy, manage, number, server_env
from public_load import Server as PublicServer

PG_DSN = "host=127.0.0.1 port=5432 user=postgres"
PASSWORD = "load-bench-12345"  # noqa: S105 — accounts of a throwaway database
GOAL_P95_MS = 200.0
BUILD_MARK = "LOAD-BENCH-USERS "
OK = ""  # the error of a successful request


# --- PostgreSQL -----------------------------------------------------------------------------


def pg(dbname: str = "postgres", timeout: int = 5) -> psycopg.Connection:
    return psycopg.connect(f"{PG_DSN} dbname={dbname}", autocommit=True, connect_timeout=timeout)


def pg_is_up() -> bool:
    try:
        with pg(timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def others_using_postgres(dbname: str) -> str | None:
    """Why restarting PostgreSQL would hurt somebody, or None when nobody else uses it."""
    try:
        found = subprocess.run(
            ["pgrep", "-f", "pytest"],  # noqa: S607 — procps from PATH
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "нет pgrep — не проверить, идут ли чужие тесты"
    pids = [pid for pid in found.stdout.split() if int(pid) != os.getpid()]
    if pids:
        return f"запущен pytest (pid {', '.join(pids[:5])}) — кто-то гоняет тесты"
    with pg() as conn:
        rows = conn.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname <> %s "
            "AND datname IS NOT NULL AND pid <> pg_backend_pid() GROUP BY datname",
            [dbname],
        ).fetchall()
    if rows:
        busy = ", ".join(f"{name} ({count})" for name, count in rows)
        return f"к другим базам есть подключения: {busy}"
    return None


def restart_command() -> list[str]:
    """pg_ctlcluster for the cluster on port 5432 (Debian), else the init script."""
    with contextlib.suppress(OSError):
        listing = subprocess.run(
            ["pg_lsclusters", "--no-header"],  # noqa: S607 — postgresql-common from PATH
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for line in listing.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "5432":
                return ["pg_ctlcluster", parts[0], parts[1], "restart"]
    return ["service", "postgresql", "restart"]


def postgres_cpu() -> dict[int, float]:
    """CPU seconds of every live `postgres` process (server, backends, background workers)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        if name == "postgres":
            fields = rest.split()
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return found


# --- setup (the generator runs in a child with Django) ---------------------------------------


def internal_build(schools: int, curators: int, mentors: int) -> None:
    """In a child process: the region of bench/data.py (populate), accounts for the virtual users;
    prints them as JSON on the last line."""
    os.environ["BENCH_SCHOOLS"] = str(schools)
    import monitoring  # bench/monitoring.py: django.setup() and the region generator

    shutil.rmtree(monitoring.tmp, ignore_errors=True)  # its SQLite default is not used here
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils import timezone

    from apps.orgs.models import Membership, Organisation, User
    from apps.people.models import Person
    from apps.programs.models import MentoringUnit

    began = time.perf_counter()
    _, _, _, _, answers = monitoring.populate(monitoring.REGION, schools)
    took = time.perf_counter() - began
    today = timezone.localdate()
    # One PBKDF2 hash (what the server checks) shared by every generated account.
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())

    def first_unit(**filters) -> MentoringUnit | None:
        return MentoringUnit.objects.filter(status="active", **filters).order_by("pk").first()

    def meeting_day(unit: MentoringUnit) -> str | None:
        return today.isoformat() if unit.start_date <= today <= unit.end_date else None

    region_schools = list(
        Organisation.objects.filter(kind="school", parent__parent__slug="r").order_by("pk")
    )
    result: dict[str, list[dict]] = {"curators": [], "mentors": []}
    # The demo accounts first: a school with documents, consents, news and programmes.
    school7 = Organisation.objects.get(slug="school7")
    unit = first_unit(organisation=school7)
    result["curators"].append({"email": "curator@school7.demo", "password": "demo12345",
                               "org": school7.pk, "unit": unit.pk if unit else None})  # fmt: skip
    demo_unit = first_unit(mentor__user__email="mentor1@school7.demo")
    if demo_unit is not None:
        result["mentors"].append({"email": "mentor1@school7.demo", "password": "demo12345",
                                  "unit": demo_unit.pk, "day": meeting_day(demo_unit)})  # fmt: skip
    users, memberships = [], []
    for index in range(curators):
        school = region_schools[index % len(region_schools)]
        user = User(email=f"curator{index}@load.bench", full_name=f"Куратор {index}",
                    password=encoded)  # fmt: skip
        users.append(user)
        memberships.append(Membership(user=user, organisation=school, role="curator"))
        unit = first_unit(organisation=school)
        result["curators"].append({"email": user.email, "password": PASSWORD, "org": school.pk,
                                   "unit": unit.pk if unit else None})  # fmt: skip
    mentor_units = []
    for school in region_schools[:mentors]:
        unit = first_unit(organisation=school)
        if unit is not None:
            mentor_units.append(unit)
    for index, unit in enumerate(mentor_units):
        user = User(email=f"mentor{index}@load.bench", full_name=f"Наставник {index}",
                    password=encoded)  # fmt: skip
        users.append(user)
        memberships.append(Membership(user=user, organisation_id=unit.organisation_id,
                                      role="mentor"))  # fmt: skip
        result["mentors"].append({"email": user.email, "password": PASSWORD, "unit": unit.pk,
                                  "day": meeting_day(unit)})  # fmt: skip
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(memberships)
    for index, unit in enumerate(mentor_units):
        Person.objects.filter(pk=unit.mentor_id).update(
            user=User.objects.get(email=f"mentor{index}@load.bench")
        )
    result["stats"] = [{"schools": len(region_schools), "staff": Person.objects.count(),
                        "units": MentoringUnit.objects.count(), "answers": answers,
                        "seconds": took}]  # fmt: skip
    print(BUILD_MARK + json.dumps(result))


# --- virtual users ---------------------------------------------------------------------------


@dataclass
class VUser:
    role: str  # "куратор" | "наставник"
    email: str
    password: str
    org: int | None = None
    unit: int | None = None
    day: str | None = None  # a valid meeting date for the mentor's diary, ISO

    def pages(self) -> list[tuple[str, str]]:
        if self.role == "куратор":
            o = f"/o/{self.org}"
            pages = [
                ("обзор школы", f"{o}/"),
                ("сотрудники", f"{o}/staff/"),
                ("согласия", f"{o}/consents/"),
                ("банк наставляемых", f"{o}/banks/mentees/"),
                ("пары и программы", f"{o}/units/"),
                ("дорожная карта", f"{o}/roadmap/"),
                ("мониторинг", f"{o}/monitoring/"),
                ("новости", f"{o}/news/"),
            ]
            if self.unit:
                pages.insert(5, ("карточка пары", f"{o}/units/{self.unit}/"))
            return pages
        return [
            ("мои пары", "/my/units/"),
            ("моя пара", f"/my/units/{self.unit}/"),
            ("мои мероприятия", "/my/events/"),
            ("мои анкеты", "/my/surveys/"),
        ]

    def write(self, key: str) -> tuple[str, str, dict[str, str], str] | None:
        """(label, path, form, expected redirect prefix) of a cheap, repeatable write."""
        if self.role == "куратор":
            today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
            form = {"stage": "1", "activity": key, "content": "", "start": today, "end": today,
                    "responsible": "", "result": "", "done_on": ""}  # fmt: skip
            path = f"/o/{self.org}/roadmap/items/new/"
            return "запись: пункт дорожной карты", path, form, f"/o/{self.org}/roadmap/"
        if not self.day:
            return None
        form = {"date": self.day, "duration": "45", "format": "in_person", "topic": key,
                "outcome": "", "next_steps": ""}  # fmt: skip
        path = f"/my/units/{self.unit}/"
        return "запись: встреча в дневник", path, form, path


class Browser:
    """One user's keep-alive connection and cookies."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookies = dict(cookies or {})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _store(self, header: str) -> None:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        if value in ("", '""') or "max-age=0" in attributes.lower():
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """(status, Location); reconnects once when the server closed an idle connection."""
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "nastavnik-load",
                   "Accept": "text/html", "Accept-Encoding": "identity"}  # fmt: skip
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            fresh = self.conn is None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if fresh or attempt:
                    raise
                continue  # a keep-alive connection the server had closed: once more, fresh
            except BaseException:
                self.close()
                raise
            for header in response.headers.get_all("Set-Cookie") or []:
                self._store(header)
            if response.will_close:
                self.close()
            return response.status, response.getheader("Location", "")
        raise AssertionError("unreachable")


def login(browser: Browser, user: VUser) -> str:
    """Log in with the form (CSRF cookie first); the error, or OK."""
    status, _ = browser.request("GET", "/accounts/login/")
    if status != 200:
        return f"вход: страница HTTP {status}"
    token = browser.cookies.get("csrftoken", "")
    form = {"csrfmiddlewaretoken": token, "username": user.email, "password": user.password}
    status, location = browser.request("POST", "/accounts/login/", form)
    if status != 302 or "/accounts/" in location:
        return f"вход: HTTP {status} {location}".strip()
    return OK


@dataclass
class Shard:
    """What one generator process measured."""

    # (role, page label, wall-clock start, latency s, error or OK)
    records: list[tuple[str, str, float, float, str]] = field(default_factory=list)
    logins: list[tuple[float, str]] = field(default_factory=list)  # (latency s, error or OK)
    writes: list[tuple[str, str]] = field(default_factory=list)  # (key, accepted|rejected|unknown)
    cookies: dict[int, dict[str, str]] = field(default_factory=dict)  # by virtual user index
    cpu: float = 0.0


@dataclass
class Phase:
    seconds: float
    think: float  # mean pause between a user's requests, s
    write_every: int  # a write every N requests of a user (0 — never)
    tag: str  # marks this phase's writes
    rounds: int = 0  # >0: each user walks its pages this many times instead of a time limit


def classify(method: str, status: int, location: str, expected: str) -> str:
    if 200 <= status < 300 and method == "GET":
        return OK
    if status in (301, 302, 303):
        if "/accounts/login/" in location:
            return "сессия потеряна (перенаправление на вход)"
        if method == "POST" and location.startswith(expected):
            return OK
        return f"перенаправление {status} → {location.split('?')[0]}"
    if method == "POST" and status == 200:
        return "форма не принята (200)"
    return f"HTTP {status}"


def drive(port, users, phase, cookies, ready, go, deadline, out) -> None:
    """A generator process: one thread per virtual user (login unless it has a session)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and terminates us without a traceback
    shard = Shard()
    lock = threading.Lock()

    def run(index: int, user: VUser) -> None:
        rnd = random.Random(f"{phase.tag}-{index}")
        browser = Browser(port, cookies.get(index))
        records, writes, logins = [], [], []
        error = OK
        if "sessionid" not in browser.cookies:
            began = time.perf_counter()
            try:
                error = login(browser, user)
            except (OSError, http.client.HTTPException) as exc:
                error = f"вход: {type(exc).__name__}"
            logins.append((time.perf_counter() - began, error))
        ready.put(error)
        go.wait()
        pages = user.pages()
        step = rnd.randrange(len(pages))
        limit = phase.rounds * len(pages) if phase.rounds else 0
        done = 0
        while not error and (done < limit if limit else time.time() < deadline.value):
            done += 1
            write = None
            if phase.write_every and done % phase.write_every == 0:
                key = f"bench-{phase.tag}-{uuid.uuid4().hex[:16]}"
                write = user.write(key)
            if write is not None:
                label, path, form, expected = write
                method = "POST"
                form = {**form, "csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")}
            else:
                label, path = pages[step % len(pages)]
                step += 1
                method, form, expected = "GET", None, ""
            start, began = time.time(), time.perf_counter()
            try:
                status, location = browser.request(method, path, form)
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                verdict = "unknown"
            else:
                outcome = classify(method, status, location, expected)
                verdict = "accepted" if outcome == OK else "rejected"
            records.append((user.role, label, start, time.perf_counter() - began, outcome))
            if write is not None:
                writes.append((form["activity"] if "activity" in form else form["topic"], verdict))
            if outcome.startswith("сессия потеряна"):
                browser.cookies.pop("sessionid", None)
                began = time.perf_counter()
                try:
                    relogin = login(browser, user)
                except (OSError, http.client.HTTPException) as exc:
                    relogin = f"вход: {type(exc).__name__}"
                logins.append((time.perf_counter() - began, relogin))
            if phase.think:
                pause = rnd.uniform(0, 2 * phase.think)
                if not limit:
                    pause = min(pause, max(0.0, deadline.value - time.time()))
                time.sleep(pause)
        browser.close()
        with lock:
            shard.records.extend(records)
            shard.writes.extend(writes)
            shard.logins.extend(logins)
            shard.cookies[index] = browser.cookies

    usage = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=run, args=item) for item in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = resource.getrusage(resource.RUSAGE_SELF)
    shard.cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    out.put(shard)


@dataclass
class Result:
    label: str
    seconds: float
    records: list[tuple[str, str, float, float, str]]
    logins: list[tuple[float, str]]
    writes: list[tuple[str, str]]
    generator_cpu: float
    server_cpu: float
    postgres_cpu: float
    machine_cpu: float
    users: int
    login_seconds: float
    started: float  # wall clock when the timed part began
    fault: dict = field(default_factory=dict)

    @property
    def errors(self) -> Counter:
        return Counter(r[4] for r in self.records if r[4] != OK)

    def p95(self) -> float:
        return percentile(sorted(r[3] for r in self.records), 95)


def percentile(latencies: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted seconds, in milliseconds."""
    if not latencies:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(latencies)))
    return latencies[min(rank, len(latencies)) - 1] * 1000


def run_phase(
    server: Server,
    users: list[VUser],
    cookies: dict[int, dict[str, str]],
    phase: Phase,
    processes: int,
    label: str,
    during=None,
) -> Result:
    """Start the generator processes, wait for every login, then run the timed part."""
    ctx = get_context("fork")
    out, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    deadline = ctx.Value("d", 0.0)
    processes = max(1, min(processes, len(users)))
    indexed = list(enumerate(users))
    split = [indexed[i::processes] for i in range(processes)]
    children = [
        ctx.Process(
            target=drive, args=(server.port, part, phase, cookies, ready, go, deadline, out)
        )
        for part in split
    ]
    controller = None
    try:
        began = time.perf_counter()
        for child in children:
            child.start()
        for _ in users:
            ready.get(timeout=300)
        login_seconds = time.perf_counter() - began
        cpu_before, machine_before = server.cpu_seconds(), machine_busy()
        pg_before = postgres_cpu()
        started = time.time()
        deadline.value = started + phase.seconds
        go.set()
        fault: dict = {}
        if during is not None:
            controller = threading.Thread(target=during, args=(started, fault), daemon=True)
            controller.start()
        shards = [out.get(timeout=phase.seconds + 300) for _ in children]
        for child in children:
            child.join()
        elapsed = time.time() - started
        if controller is not None:
            controller.join()
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
                child.join()
        if controller is not None and controller.is_alive():
            controller.join()  # never leave PostgreSQL half restarted
    pg_after = postgres_cpu()
    pg_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    for shard in shards:
        cookies.update(shard.cookies)
    return Result(
        label=label,
        seconds=elapsed,
        records=[r for s in shards for r in s.records],
        logins=[x for s in shards for x in s.logins],
        writes=[w for s in shards for w in s.writes],
        generator_cpu=sum(s.cpu for s in shards),
        server_cpu=server.cpu_seconds() - cpu_before,
        postgres_cpu=max(0.0, pg_cpu),
        machine_cpu=machine_busy() - machine_before,
        users=len(users),
        login_seconds=login_seconds,
        started=started,
        fault=fault,
    )


# --- the server -----------------------------------------------------------------------------


class Server(PublicServer):
    """gunicorn (sync or gthread workers) in its own session; see bench/public_load.py."""

    def __init__(
        self, env: dict[str, str], tmp: Path, workers: int, worker_class: str, threads: int
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.log_path = tmp / f"gunicorn-{worker_class}-{self.port}.log"
        self._log = self.log_path.open("wb")
        command = [
            sys.executable, "-m", "gunicorn", "nastavnik.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", str(workers),
            "--worker-class", worker_class, "--keep-alive", "5", "--timeout", "60",
            "--no-control-socket", "--log-level", "warning",
        ]  # fmt: skip
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self.process = subprocess.Popen(  # noqa: S603 — gunicorn from our venv
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def describe(self) -> str:
        if self.worker_class == "gthread":
            return f"{self.workers} gthread-воркера × {self.threads} потока"
        return f"{self.workers} sync-воркера"


def start_server(env, tmp, workers, worker_class, threads) -> Server:
    server = Server(env, tmp, workers, worker_class, threads)
    if not server.wait_ready("/accounts/login/", timeout=60):
        tail = server.log_tail()
        server.stop()
        raise SystemExit("gunicorn не запустился:\n" + tail)
    return server


# --- output ---------------------------------------------------------------------------------


def ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0f}"


def report(result: Result, detailed: bool = True) -> None:
    records = result.records
    rps = len(records) / result.seconds if result.seconds else 0.0
    login_times = sorted(x[0] for x in result.logins)
    login_errors = Counter(x[1] for x in result.logins if x[1] != OK)
    print(f"\n--- {result.label} ---")
    if result.logins:
        print(
            f"Вход {len(result.logins)} пользователей (одновременно, PBKDF2): готовы за "
            f"{result.login_seconds:.1f} s, p50 {ms(percentile(login_times, 50))} ms, "
            f"max {ms(percentile(login_times, 100))} ms, ошибок {sum(login_errors.values())}"
            + (f" ({', '.join(f'{k} × {v}' for k, v in login_errors.items())})"
               if login_errors else "")
        )  # fmt: skip
    if detailed:
        groups: dict[tuple[str, str], list] = defaultdict(list)
        for record in records:
            groups[record[0], record[1]].append(record)
        for role in ("куратор", "наставник"):
            groups[role, "ВСЕГО"] = [r for r in records if r[0] == role]
        print(f"  {'роль / страница':<40} {'запросов':>8} {'p50':>6} {'p95':>6} {'p99':>6} "
              f"{'max':>6} {'ошибок':>7}  (мс)")  # fmt: skip
        for (role, label), rows in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1])):
            if not rows:
                continue
            latencies = sorted(r[3] for r in rows)
            failed = sum(1 for r in rows if r[4] != OK)
            print(
                f"  {(role + ': ' + label):<40} {len(rows):>8} {ms(percentile(latencies, 50)):>6} "
                f"{ms(percentile(latencies, 95)):>6} {ms(percentile(latencies, 99)):>6} "
                f"{ms(percentile(latencies, 100)):>6} {failed:>7}"
            )
    latencies = sorted(r[3] for r in records)
    errors = result.errors
    print(
        f"Итого: {number(len(records))} запросов за {result.seconds:.1f} s, {rps:.1f} запросов/с "
        f"({result.users} пользователей); p50 {ms(percentile(latencies, 50))}, "
        f"p95 {ms(percentile(latencies, 95))}, p99 {ms(percentile(latencies, 99))}, "
        f"max {ms(percentile(latencies, 100))} ms; ошибок {sum(errors.values())}"
        + (f" ({', '.join(f'{k} × {v}' for k, v in errors.most_common(6))})" if errors else "")
    )  # fmt: skip
    available = (os.cpu_count() or 1) * result.seconds
    others = max(
        0.0, result.machine_cpu - result.server_cpu - result.generator_cpu - result.postgres_cpu
    )
    print(
        f"CPU за прогон: gunicorn {result.server_cpu:.1f} s, "
        f"PostgreSQL {result.postgres_cpu:.1f} s, "
        f"генератор {result.generator_cpu:.1f} s, прочие процессы {others:.1f} s из "
        f"{available:.1f} s ({os.cpu_count()} ядра × {result.seconds:.1f} s); на запрос: "
        f"gunicorn {1000 * result.server_cpu / max(1, len(records)):.0f} мс, PostgreSQL "
        f"{1000 * result.postgres_cpu / max(1, len(records)):.0f} мс"
    )
    if others > 0.1 * available:
        print("ВНИМАНИЕ: машина занята посторонней работой — цифры занижены, повторите замер.")


def goal_line(result: Result) -> bool:
    p95, failed = result.p95(), sum(result.errors.values())
    missed = []
    if failed:
        missed.append(f"ошибок {failed}")
    if not p95 <= GOAL_P95_MS:
        missed.append(f"p95 {p95:.0f} мс")
    verdict = "достигнута" if not missed else "НЕ достигнута: " + ", ".join(missed)
    print(
        f"цель: 0 ошибок, p95 ≤ {GOAL_P95_MS:.0f} мс при {result.users} пользователях на "
        f"{os.cpu_count()} ядрах — {verdict}"
    )
    return not missed


def verify_writes(dbname: str, writes: list[tuple[str, str]]) -> dict[str, int]:
    """Every accepted write must be in the database; count the rest too."""
    keys = {key for key, _ in writes}
    with pg(dbname) as conn:
        found = Counter(
            row[0]
            for row in conn.execute(
                "SELECT activity FROM roadmap_roadmapitem WHERE activity = ANY(%s) "
                "UNION ALL SELECT topic FROM programs_meeting WHERE topic = ANY(%s)",
                [list(keys), list(keys)],
            )
        )
    by_verdict: dict[str, set[str]] = defaultdict(set)
    for key, verdict in writes:
        by_verdict[verdict].add(key)
    return {
        "sent": len(writes),
        "accepted": len(by_verdict["accepted"]),
        "missing": len(by_verdict["accepted"] - found.keys()),
        "rejected": len(by_verdict["rejected"]),
        "rejected_saved": len(by_verdict["rejected"] & found.keys()),
        "unknown": len(by_verdict["unknown"]),
        "unknown_saved": len(by_verdict["unknown"] & found.keys()),
        "duplicates": sum(1 for count in found.values() if count > 1),
    }


def writes_line(check: dict[str, int]) -> None:
    print(
        f"Записи: отправлено {check['sent']}, приняты {check['accepted']} — в базе нет "
        f"{check['missing']}; с ошибкой {check['rejected']} (из них всё же сохранены "
        f"{check['rejected_saved']}); без ответа {check['unknown']} (сохранены "
        f"{check['unknown_saved']}); дублей {check['duplicates']}"
    )


def log_summary(server: Server) -> None:
    """The exceptions in the gunicorn log (new since the last call): the last line of each
    traceback, not the ones it was raised from or while handling."""
    lines = [line.strip() for line in server.log_tail(100_000).splitlines()]
    seen = getattr(server, "_log_seen", 0)
    server._log_seen = len(lines)
    found: Counter = Counter()
    for index in range(seen, len(lines)):
        if not re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit): ", lines[index]):
            continue
        chained = False
        for following in lines[index + 1 : index + 8]:  # a message may span a few lines
            if following.startswith(("During handling", "The above exception")):
                chained = True
            if following.startswith(("Traceback", "File ", "[", "During", "The above")):
                break
        if not chained:
            found[lines[index][:160]] += 1
    if found:
        print("Исключения в журнале gunicorn: " + "; ".join(f"{k} × {v}" for k, v in found.items()))


# --- the fault run --------------------------------------------------------------------------


def fault_controller(dbname: str, after: float):
    """The `during` hook of the fault phase, `after` s into the load: restart PostgreSQL when
    nobody else uses it; otherwise cut only this database's connections (pg_terminate_backend),
    which kills the app's persistent connections the same way but disturbs nobody."""

    def control(started: float, info: dict) -> None:
        time.sleep(max(0.0, started + after - time.time()))
        reason = others_using_postgres(dbname)  # checked again right before the restart
        if reason:
            info["skipped"] = reason
            info["command"] = f"pg_terminate_backend для соединений базы {dbname}"
            info["begin"] = time.time()
            with pg() as conn:
                cut = conn.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [dbname],
                ).fetchone()
            info["rc"] = 0
            info["cut"] = cut[0] if cut else 0
            info["end"] = info["back"] = time.time()
            return
        command = restart_command()
        info["command"] = " ".join(command)
        info["begin"] = time.time()
        done = subprocess.run(  # noqa: S603 — pg_ctlcluster/service with fixed arguments
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            start_new_session=True,  # Ctrl-C must not stop it halfway
        )
        info["end"] = time.time()
        info["rc"] = done.returncode
        info["output"] = (done.stdout + done.stderr).strip()[-500:]
        while not pg_is_up() and time.time() < info["end"] + 60:
            time.sleep(0.1)
        if not pg_is_up():  # the restart failed halfway: bring the server back at least
            subprocess.run(  # noqa: S603 — pg_ctlcluster/service with fixed arguments
                [*command[:-1], "start"], check=False, timeout=120, start_new_session=True
            )
        info["back"] = time.time()

    return control


def fault_report(result: Result, pids_before: list[int], pids_after: list[int]) -> dict:
    info = result.fault
    summary: dict = {"skipped": info.get("skipped")}
    if "begin" not in info:
        print("Сбой не состоялся (прогон короче момента сбоя).")
        summary["skipped"] = "прогон слишком короткий"
        return summary
    begin, back = info["begin"], info["back"]
    if info.get("skipped"):
        print(
            f"Перезапуск PostgreSQL ПРОПУЩЕН: {info['skipped']}. Вместо него через "
            f"{begin - result.started:.1f} s после начала оборваны соединения только своей базы "
            f"({info['cut']} шт., pg_terminate_backend) — так же умирают постоянные соединения "
            "приложения при перезапуске, но другим это не мешает."
        )
    else:
        print(
            f"Перезапуск PostgreSQL ({info['command']}, код {info['rc']}) через "
            f"{begin - result.started:.1f} s после начала; база недоступна ≈ {back - begin:.1f} s."
        )
    failed = [r for r in result.records if r[4] != OK]
    during = [r for r in failed if r[2] < back]
    after = [r for r in failed if r[2] >= back]
    later_ok = [r for r in result.records if r[4] == OK and r[2] >= back]
    last_fail = max((r[2] + r[3] for r in after), default=back)
    recovery = last_fail - back
    first_ok = min((r[2] + r[3] for r in later_ok), default=float("nan"))
    print(
        f"Ошибок во время сбоя: {len(during)}; после того как база снова принимает "
        f"подключения: {len(after)}"
        + (f" ({', '.join(f'{k} × {v}' for k, v in Counter(r[4] for r in after).items())})"
           if after else "")
    )  # fmt: skip
    print(
        f"Восстановление: первый успешный ответ через {first_ok - back:.1f} s после возврата "
        f"базы, последняя ошибка через {recovery:.1f} s; дальше всё успешно "
        f"({len([r for r in later_ok if r[2] > last_fail])} запросов)."
    )
    same = sorted(pids_before) == sorted(pids_after)
    print(
        "gunicorn не перезапускался: процессы те же."
        if same
        else f"ВНИМАНИЕ: процессы gunicorn сменились ({len(pids_before)} → {len(pids_after)})."
    )
    summary.update(outage=back - begin, during=len(during), after=len(after),
                   recovery=recovery, same_pids=same)  # fmt: skip
    return summary


# --- main -----------------------------------------------------------------------------------


def build_users(data: dict, count: int) -> list[VUser]:
    """About 40 % curators and 60 % mentors, the demo accounts first."""
    curators = max(1, round(count * 0.4))
    users = [
        VUser("куратор", c["email"], c["password"], org=c["org"], unit=c["unit"])
        for c in data["curators"][:curators]
    ]
    users += [
        VUser("наставник", m["email"], m["password"], unit=m["unit"], day=m["day"])
        for m in data["mentors"][: count - len(users)]
    ]
    return users


def setup(env: dict[str, str], tmp: Path, dbname: str, args) -> dict:
    began = time.perf_counter()
    manage(env, "migrate", "--noinput")
    migrated = time.perf_counter()
    manage(env, "load_demo")
    demo = time.perf_counter()
    build_env = dict(env, NASTAVNIK_TESTING="1", DJANGO_SETTINGS_MODULE="nastavnik.settings")
    curators = max(1, round(args.users * 0.4))
    done = subprocess.run(  # noqa: S603 — this very script in the generator mode
        [sys.executable, __file__, "--internal-build", str(args.schools), str(curators),
         str(args.users - curators)],
        cwd=ROOT, env=build_env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.stderr.write((done.stdout + done.stderr)[-3000:])
        raise SystemExit(f"генерация данных завершилась с кодом {done.returncode}")
    line = next(x for x in done.stdout.splitlines()[::-1] if x.startswith(BUILD_MARK))
    data = json.loads(line[len(BUILD_MARK) :])
    built = time.perf_counter()
    manage(env, "collectstatic", "--noinput")
    with pg(dbname) as conn:
        conn.execute("VACUUM ANALYZE")
    stats = data["stats"][0]
    print(
        f"Подготовка {time.perf_counter() - began:.0f} s: migrate {migrated - began:.0f} s, "
        f"демо {demo - migrated:.0f} s, регион {built - demo:.0f} s ({stats['schools']} школ, "
        f"{number(stats['staff'])} сотрудников, {number(stats['units'])} пар, "
        f"{number(stats['answers'])} ответов анкет), collectstatic и ANALYZE."
    )
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="virtual users")
    parser.add_argument("--seconds", type=float, default=60, help="main run, s")
    parser.add_argument("--schools", type=int, default=1000, help="schools in the region")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, s")
    parser.add_argument("--write-every", type=int, default=10, help="a write every N requests")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="threads of a gthread worker")
    parser.add_argument("--worker-class", choices=["auto", "sync", "gthread"], default="auto")
    parser.add_argument("--trial-seconds", type=float, default=12, help="each class in auto")
    parser.add_argument("--processes", type=int, default=2, help="generator processes")
    parser.add_argument("--fault-seconds", type=float, default=40, help="fault run, s")
    fault = parser.add_mutually_exclusive_group()
    fault.add_argument("--fault", action="store_true", help="only the fault run")
    fault.add_argument("--no-fault", action="store_true", help="skip the fault run")
    parser.add_argument(
        "--fault-wait",
        type=float,
        default=0,
        help="wait up to this many s for other users of PostgreSQL to finish before the fault run",
    )
    parser.add_argument(
        "--health-checks",
        action="store_true",
        help="serve with CONN_HEALTH_CHECKS=True (a settings module in the temp dir) to compare",
    )
    parser.add_argument("--internal-build", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.internal_build:
        internal_build(*args.internal_build)
        return 0

    def terminate(signum, frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    dbname = f"nastavnik_load_{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server: Server | None = None
    created = False
    summary: list[str] = []
    try:
        with pg() as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        created = True
        env = server_env(tmp)
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{dbname}",
            SECURE_COOKIES="0",  # plain HTTP on loopback
        )
        data = setup(env, tmp, dbname, args)
        if args.health_checks:
            # The project's settings plus the one change under test; setup used the real ones.
            (tmp / "load_bench_settings.py").write_text(
                "from nastavnik.settings import *  # noqa: F403\n"
                'DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405\n'
            )
            env.update(DJANGO_SETTINGS_MODULE="load_bench_settings", PYTHONPATH=str(tmp))
        users = build_users(data, args.users)
        roles = Counter(u.role for u in users)
        print(
            f"Виртуальные пользователи: {roles['куратор']} кураторов, {roles['наставник']} "
            f"наставников; пауза между страницами 0–{2 * args.think:g} s (в среднем "
            f"{args.think:g} s), запись каждые {args.write_every} запросов; генератор: "
            f"{args.processes} процесса × потоки, keep-alive (http.client)."
        )
        print(
            f"Машина: {os.cpu_count()} ядра — gunicorn, PostgreSQL и генератор делят их. "
            f"DB_CONN_MAX_AGE={env.get('DB_CONN_MAX_AGE', '600 (по умолчанию)')}, "
            f"CONN_HEALTH_CHECKS={'True (--health-checks)' if args.health_checks else 'нет'}."
        )
        cookies: dict[int, dict[str, str]] = {}
        classes = ["sync", "gthread"] if args.worker_class == "auto" else [args.worker_class]
        if args.fault and args.worker_class == "auto":
            classes = ["gthread"]  # the fault run alone: no trials, the class that won before
        # Warm-up: every user logs in once (sessions live in the database and survive server
        # restarts) and opens each page once, so caches (monitoring, templates) are filled.
        server = start_server(env, tmp, args.workers, classes[-1], args.threads)
        warm = run_phase(server, users, cookies, Phase(0, 0, 0, "warm", rounds=1),
                         args.processes, "Вход и прогрев (каждая страница по разу)")  # fmt: skip
        report(warm, detailed=False)
        if len(classes) > 1:
            trials = {}
            for worker_class in classes[::-1]:  # the warm server's class first
                if server is None or server.worker_class != worker_class:
                    if server is not None:
                        server.stop()
                    server = None
                    server = start_server(env, tmp, args.workers, worker_class, args.threads)
                phase = Phase(args.trial_seconds, args.think, args.write_every, f"t{worker_class}")
                label = f"Проба: {server.describe()}, {args.trial_seconds:g} s"
                trial = run_phase(server, users, cookies, phase, args.processes, label)
                report(trial, detailed=False)
                trials[worker_class] = (sum(trial.errors.values()) > 0, trial.p95())
            best = min(classes, key=lambda c: trials[c])
            print(f"Выбран класс воркеров: {best}.")
            summary.append(
                "пробы: " + ", ".join(f"{c} p95 {trials[c][1]:.0f} мс" for c in classes)
                + f" → {best}"
            )  # fmt: skip
        else:
            best = classes[0]
        if server.worker_class != best:
            server.stop()
            server = None
            server = start_server(env, tmp, args.workers, best, args.threads)

        if not args.fault:
            phase = Phase(args.seconds, args.think, args.write_every, "main")
            label = f"Основной прогон: {server.describe()}, {args.seconds:g} s"
            main_run = run_phase(server, users, cookies, phase, args.processes, label)
            report(main_run)
            met = goal_line(main_run)
            check = verify_writes(dbname, main_run.writes)
            writes_line(check)
            rps = len(main_run.records) / main_run.seconds
            summary.append(
                f"основной прогон: {rps:.0f} запросов/с, p95 {main_run.p95():.0f} мс, ошибок "
                f"{sum(main_run.errors.values())}, цель {'достигнута' if met else 'не достигнута'}"
                f"; записей принято {check['accepted']}, потеряно {check['missing']}"
            )
            log_summary(server)

        if not args.no_fault:
            reason = others_using_postgres(dbname)
            if reason and args.fault_wait > 0:
                print(f"\nЖдём до {args.fault_wait:g} s, пока PostgreSQL освободится: {reason}.")
                limit = time.monotonic() + args.fault_wait
                while reason and time.monotonic() < limit:
                    time.sleep(1)
                    reason = others_using_postgres(dbname)
            title = "перезапуск PostgreSQL" if not reason else "обрыв соединений с базой"
            if reason:
                print(f"\nPostgreSQL перезапускать нельзя: {reason}.")
            pids_before = server.pids()
            phase = Phase(args.fault_seconds, args.think, 3, "fault")
            run = run_phase(
                server, users, cookies, phase, args.processes,
                f"Отказ: {title} под нагрузкой, {args.fault_seconds:g} s, запись каждые 3 запроса",
                during=fault_controller(dbname, args.fault_seconds * 0.35),
            )  # fmt: skip
            report(run)
            outcome = fault_report(run, pids_before, server.pids())
            check = verify_writes(dbname, run.writes)
            writes_line(check)
            if "outage" in outcome:
                what = (
                    f"перезапуск PostgreSQL (база недоступна {outcome['outage']:.1f} s)"
                    if not outcome["skipped"]
                    else f"перезапуск пропущен ({outcome['skipped']}), вместо него обрыв "
                    "соединений своей базы"
                )
                summary.append(
                    f"отказ: {what}; ошибок во время {outcome['during']}, после возврата "
                    f"{outcome['after']}, восстановление за {outcome['recovery']:.1f} s без "
                    f"перезапуска gunicorn; принятых записей потеряно {check['missing']}"
                )
                if outcome["after"] and not args.health_checks:
                    print(
                        "Ошибки после возврата базы — мёртвые постоянные соединения "
                        "(CONN_MAX_AGE без CONN_HEALTH_CHECKS): каждое даёт одну ошибку 500, "
                        "потом Django переподключается. Лечится CONN_HEALTH_CHECKS=True в "
                        "DATABASES (dj_database_url.parse(..., conn_health_checks=True))."
                    )
            log_summary(server)
        print("\nИтог: " + "; ".join(summary) + ".")
        return 0
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if created:
            for _ in range(60):  # PostgreSQL may still be coming back after the fault run
                if pg_is_up():
                    break
                time.sleep(1)
            try:
                with pg() as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            except psycopg.Error as error:
                print(f"Не удалось удалить базу {dbname}: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
