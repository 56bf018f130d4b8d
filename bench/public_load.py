"""Public «Наставничество» pages under load: a real gunicorn (sync workers, DEBUG off, the file
cache as in production) on a fresh SQLite database with the demo data, driven for a fixed time
by a closed-loop generator (processes × threads, one plain HTTP/1.1 request per connection).

The anchor is bare Django (bench/bare/: no apps, no middleware, one small template) under the
same gunicorn settings, the same generator and the same duration, in the same run. Runs
alternate (anchor, then every page) for ≥ 3 repeats; each figure — req/s, p50, p95 — is printed
as min / median with its ratio to the anchor. Goals for the school page /p/school7/: ≥ 0.5× the
anchor's req/s, ≥ 500 req/s, p95 ≤ 50 ms, no errors. The server and the generator share the
machine's cores, so the absolute figures are a lower bound.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from common import REPEATS, Stats, row

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
GOAL_RPS = 500
GOAL_P95_MS = 50.0
GOAL_RATIO = 0.5  # of the bare Django page's req/s
PROJECT_APP = "nastavnik.wsgi:application"
BARE_APP = "bench.bare.wsgi:application"
BARE_PATH = "/"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the load generator -------------------------------------------------------------------


def request_bytes(path: str, port: int) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: nastavnik-bench\r\n"
        "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    ).encode("ascii")


def fetch(port: int, payload: bytes) -> tuple[int, int]:
    """One request on a fresh connection, read to EOF: (status, body bytes); status 0 when the
    response is cut short (fewer body bytes than Content-Length)."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head[9:12]) if head.startswith(b"HTTP/1.") else 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            return 0, len(body)
    return status, len(body)


@dataclass
class Shard:
    """What one generator process measured."""

    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: Counter = field(default_factory=Counter)
    first_start: float = float("inf")
    last_end: float = 0.0
    body_bytes: int = 0
    cpu: float = 0.0


def drive(port: int, path: str, threads: int, start_at: float, deadline: float, out) -> None:
    """A generator process: `threads` loops, each sends a request, waits for the whole answer and
    sends the next one until the deadline (requests already sent are allowed to finish)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    payload = request_bytes(path, port)
    shard = Shard()
    lock = threading.Lock()

    def loop() -> None:
        latencies: list[float] = []
        errors: Counter = Counter()
        size = 0
        first = last = 0.0
        time.sleep(max(0.0, start_at - time.time()))
        first = time.perf_counter()
        while (began := time.perf_counter()) < deadline_perf:
            try:
                status, length = fetch(port, payload)
            except OSError as error:
                errors[type(error).__name__] += 1
            else:
                if status == 200:
                    latencies.append(time.perf_counter() - began)
                    size += length
                else:
                    errors[f"HTTP {status}" if status else "обрыв ответа"] += 1
            last = time.perf_counter()
        with lock:
            shard.latencies.extend(latencies)
            shard.errors.update(errors)
            shard.body_bytes += size
            shard.first_start = min(shard.first_start, first)
            shard.last_end = max(shard.last_end, last)

    # perf_counter is system-wide on Linux (CLOCK_MONOTONIC), so processes share the deadline.
    deadline_perf = time.perf_counter() + (deadline - time.time())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    after = resource.getrusage(resource.RUSAGE_SELF)
    shard.cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    out.put(shard)


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]  # sorted, seconds
    errors: Counter
    body_bytes: int
    generator_cpu: float
    server_cpu: float
    machine_cpu: float  # every process on the machine, from /proc/stat

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        rank = max(1, math.ceil(q / 100 * len(self.latencies)))
        return self.latencies[min(rank, len(self.latencies)) - 1] * 1000

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def run_load(server: Server, path: str, seconds: float, concurrency: int, processes: int) -> Result:
    ctx = get_context("fork")
    out = ctx.Queue()
    processes = max(1, min(processes, concurrency))
    split = [concurrency // processes + (i < concurrency % processes) for i in range(processes)]
    start_at = time.time() + 0.3  # every thread starts together, after the processes are up
    deadline = start_at + seconds
    cpu_before, machine_before = server.cpu_seconds(), machine_busy()
    children = [
        ctx.Process(target=drive, args=(server.port, path, n, start_at, deadline, out))
        for n in split
    ]
    try:
        for child in children:
            child.start()
        shards = [out.get(timeout=seconds + 60) for _ in children]
        for child in children:
            child.join()
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
                child.join()
    server_cpu, machine_cpu = server.cpu_seconds() - cpu_before, machine_busy() - machine_before
    latencies = sorted(x for s in shards for x in s.latencies)
    errors: Counter = Counter()
    for shard in shards:
        errors.update(shard.errors)
    elapsed = max(s.last_end for s in shards) - min(s.first_start for s in shards)
    return Result(
        requests=len(latencies) + sum(errors.values()),
        seconds=elapsed,
        latencies=latencies,
        errors=errors,
        body_bytes=sum(s.body_bytes for s in shards),
        generator_cpu=sum(s.cpu for s in shards),
        server_cpu=server_cpu,
        machine_cpu=machine_cpu,
    )


# --- the server -----------------------------------------------------------------------------


def machine_busy() -> float:
    """CPU seconds spent by the whole machine (all cores) since boot, idle and iowait aside."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLK_TCK


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NASTAVNIK_TESTING", None)  # the real file cache and manifest static storage
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DEBUG="0",
        SECRET_KEY="bench-only",  # noqa: S106 — a throwaway server
        ALLOWED_HOSTS=HOST,
        CACHE_DIR=str(tmp / "cache"),
        MEDIA_ROOT=str(tmp / "media"),
        STATIC_ROOT=str(tmp / "static"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    for name in ("SOCIAL_VK_URL", "SOCIAL_OK_URL", "SOCIAL_TELEGRAM_URL"):
        env[name] = "http://127.0.0.1:9/"  # nothing may leave the machine
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> str:
    """Run a management command; its output (stdout + stderr), or exit when it fails."""
    done = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + done.stderr
    if done.returncode and check:
        sys.stderr.write(output[-3000:])
        raise SystemExit(f"manage.py {' '.join(args)} завершился с кодом {done.returncode}")
    return "" if done.returncode == 0 else output


class Server:
    """gunicorn in its own session (Ctrl-C in the terminal reaches only us; we stop it)."""

    def __init__(self, env: dict[str, str], tmp: Path, workers: int, app: str) -> None:
        self.port = free_port()
        self.workers = workers
        self.log_path = tmp / f"gunicorn-{app.split('.')[0]}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 — gunicorn from our venv
            [
                sys.executable, "-m", "gunicorn", app,
                "--bind", f"{HOST}:{self.port}", "--workers", str(workers),
                "--worker-class", "sync", "--no-control-socket", "--log-level", "warning",
            ],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, path: str, timeout: float = 30) -> bool:
        payload = request_bytes(path, self.port)
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            if self.process.poll() is not None:
                return False
            try:
                if fetch(self.port, payload)[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def pids(self) -> list[int]:
        """The master and its workers (found by parent pid in /proc)."""
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / CLK_TCK

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # graceful: the master stops its workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


# --- output ---------------------------------------------------------------------------------


def warm_up(server: Server, path: str, requests: int, concurrency: int) -> None:
    """Every worker imports the code and fills its caches on the first requests."""
    payload = request_bytes(path, server.port)
    with ThreadPoolExecutor(concurrency) as pool:
        statuses = Counter(
            pool.map(lambda _: fetch(server.port, payload)[0], range(requests))
        )  # fmt: skip
    if statuses.get(200, 0) != requests:
        print(f"  прогрев {path}: ответы {dict(statuses)}")


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def run_line(label: str, result: Result) -> None:
    size = result.body_bytes / max(1, len(result.latencies)) / 1024
    errors = (
        f" ({', '.join(f'{k} × {v}' for k, v in result.errors.most_common())})"
        if result.errors
        else ""
    )
    print(
        f"  {label:<26} {number(result.rps):>6} запросов/с, p50 {result.percentile(50):.1f} ms, "
        f"p95 {result.percentile(95):.1f} ms, p99 {result.percentile(99):.1f} ms; "
        f"ответ {size:.0f} КБ; ошибок {result.error_count}{errors}",
        flush=True,
    )


def machine_line(results: list[Result]) -> None:
    seconds = sum(r.seconds for r in results)
    server = sum(r.server_cpu for r in results)
    generator = sum(r.generator_cpu for r in results)
    available = (os.cpu_count() or 1) * seconds
    others = max(0.0, sum(r.machine_cpu for r in results) - server - generator)
    print(
        f"CPU за все прогоны: сервер {server:.1f} s, генератор {generator:.1f} s, прочие процессы "
        f"{others:.1f} s из {available:.1f} s ({os.cpu_count()} ядра × {seconds:.1f} s)"
    )
    if others > 0.1 * available:
        print(
            "ВНИМАНИЕ: машина занята посторонней работой — абсолютные цифры занижены; "
            "отношения к якорю того же прогона сравнимы."
        )


def figure_rows(label: str, ours: list[Result], anchor: list[Result], goals: bool) -> None:
    rps = Stats([r.rps for r in ours])
    p95 = Stats([r.percentile(95) / 1000 for r in ours])
    ratio = f"≥ {GOAL_RATIO:g}× и ≥ {GOAL_RPS} зап./с" if goals else ""
    row(f"{label}, запросов/с", rps, Stats([r.rps for r in anchor]), "зап./с", ratio)
    row(
        f"{label}, p50",
        Stats([r.percentile(50) / 1000 for r in ours]),
        Stats([r.percentile(50) / 1000 for r in anchor]),
    )
    row(
        f"{label}, p95",
        p95,
        Stats([r.percentile(95) / 1000 for r in anchor]),
        goal=f"≤ {GOAL_P95_MS:.0f} ms" if goals else "",
    )
    # The server's own CPU per answer depends least on what else the machine is doing.
    row(f"{label}, CPU сервера на запрос", cpu_per_request(ours), cpu_per_request(anchor), "мкс")


def cpu_per_request(results: list[Result]) -> Stats:
    return Stats([r.server_cpu / max(1, r.requests) * 1e6 for r in results])


def goal_line(ours: list[Result], anchor: list[Result]) -> None:
    rps = Stats([r.rps for r in ours]).median
    ratio = rps / Stats([r.rps for r in anchor]).median
    p95 = Stats([r.percentile(95) for r in ours]).median
    errors = sum(r.error_count for r in ours)
    missed = []
    if ratio < GOAL_RATIO:
        missed.append(f"{ratio:.2f}× якоря")
    if rps < GOAL_RPS:
        missed.append(f"{rps:.0f} запросов/с")
    if p95 > GOAL_P95_MS:
        missed.append(f"p95 {p95:.1f} ms")
    if errors:
        missed.append(f"ошибок {errors}")
    verdict = "достигнута" if not missed else "НЕ достигнута: " + ", ".join(missed)
    print(
        f"цель (медианы): ≥ {GOAL_RATIO:g}× голого Django, ≥ {GOAL_RPS} запросов/с, "
        f"p95 ≤ {GOAL_P95_MS:.0f} мс, 0 ошибок — {verdict}"
    )
    bare_rps = Stats([r.rps for r in anchor]).median
    bare_p95 = Stats([r.percentile(95) for r in anchor]).median
    if bare_rps < GOAL_RPS or bare_p95 > GOAL_P95_MS:
        print(
            f"  голый Django в том же прогоне сам даёт {bare_rps:.0f} запросов/с, p95 "
            f"{bare_p95:.1f} ms: абсолютные цели не по силам машине сейчас, смотрите отношения."
        )


def prepare_demo(env: dict[str, str]) -> None:
    """A fresh database with the demo and the collected static files (the manifest storage is
    used with DEBUG off), with the time it took."""
    began = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    took = time.perf_counter() - began
    print(f"Подготовка (migrate, load_demo, collectstatic): {took:.1f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3, help="anchor and school page run, s")
    parser.add_argument("--short-seconds", type=float, default=2, help="other pages, s")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="at least 3")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="generator processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-public-load-"))
    servers: list[Server] = []
    try:
        env = server_env(tmp)
        prepare_demo(env)

        project = Server(env, tmp, args.workers, PROJECT_APP)
        servers.append(project)
        bare = Server(env, tmp, args.workers, BARE_APP)
        servers.append(bare)
        for server, path in ((project, "/p/school7/"), (bare, BARE_PATH)):
            if not server.wait_ready(path):
                print("Сервер не запустился:\n" + server.log_tail(), file=sys.stderr)
                return 1
        threads = args.concurrency / max(1, min(args.processes, args.concurrency))
        print(
            f"gunicorn: {args.workers} sync-воркера, DEBUG=0, файловый кэш, SQLite; генератор: "
            f"{args.processes} процесса × {threads:g} потоков, новое соединение на каждый запрос; "
            f"{args.concurrency} одновременных соединений."
        )
        print(
            "Якорь — голый Django (bench/bare/: без приложений и middleware, один маленький "
            "шаблон) на таком же gunicorn; прогоны чередуются: якорь, затем каждая страница."
        )
        print(
            f"Машина: {os.cpu_count()} ядра — сервер и генератор делят одни и те же ядра, "
            "так что абсолютные цифры — нижняя граница для отдельного сервера."
        )
        pages = [
            ("Страница школы", "/p/school7/", args.seconds),
            ("Страница муниципалитета", "/p/ensk/", args.short_seconds),
            ("Лента Atom школы", "/p/school7/feed.atom", args.short_seconds),
            ("Календарь iCal школы", "/p/school7/events.ics", args.short_seconds),
            ("Блок для сайта школы", "/p/school7/embed/", args.short_seconds),
        ]
        warm_up(bare, BARE_PATH, 300, args.concurrency)
        for _, path, _ in pages:
            warm_up(project, path, 300 if path == "/p/school7/" else 100, args.concurrency)
        anchor: list[Result] = []
        measured: dict[str, list[Result]] = {path: [] for _, path, _ in pages}
        for index in range(max(3, args.repeats)):
            print(f"Повтор {index + 1}:")
            anchor.append(run_load(bare, BARE_PATH, args.seconds, args.concurrency, args.processes))
            run_line("голый Django /", anchor[-1])
            for label, path, seconds in pages:
                result = run_load(project, path, seconds, args.concurrency, args.processes)
                measured[path].append(result)
                run_line(f"{label}", result)
        machine_line(anchor + [r for results in measured.values() for r in results])
        print("Итог: проект min / median | якорь (голый Django) min / median | отношение")
        for index, (label, path, _) in enumerate(pages):
            figure_rows(f"{label} {path}", measured[path], anchor, goals=index == 0)
        goal_line(measured["/p/school7/"], anchor)
        for server in servers:
            if "Traceback" in server.log_tail(200):
                print("В журнале gunicorn есть ошибки:\n" + server.log_tail())
        return 0
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
