"""Public «Наставничество» page under load: a real gunicorn (sync workers, DEBUG off, the file
cache as in production) on a fresh SQLite database with the demo data, driven for a fixed time
by a closed-loop generator (processes × threads, one plain HTTP/1.1 request per connection).
Prints requests, req/s, latency percentiles and errors for /p/school7/ (goal: ≥ 500 req/s,
p95 ≤ 50 ms, no errors), and shorter runs on the municipal page and the school's Atom feed.
The server and the generator share the machine's cores, so the figures are a lower bound.
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

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
GOAL_RPS = 500
GOAL_P95_MS = 50.0
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

    def __init__(self, env: dict[str, str], tmp: Path, workers: int) -> None:
        self.port = free_port()
        self.workers = workers
        self.log_path = tmp / "gunicorn.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 — gunicorn from our venv
            [
                sys.executable, "-m", "gunicorn", "nastavnik.wsgi:application",
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


def report(label: str, path: str, result: Result, concurrency: int) -> None:
    size = result.body_bytes / max(1, len(result.latencies)) / 1024
    print(
        f"{label} {path}: {number(result.requests)} запросов за {result.seconds:.1f} s, "
        f"{number(result.rps)} запросов/с ({concurrency} одновременных соединений)"
    )
    print(
        f"  задержка: p50 {result.percentile(50):.1f} ms, p95 {result.percentile(95):.1f} ms, "
        f"p99 {result.percentile(99):.1f} ms, max {result.percentile(100):.1f} ms; "
        f"ответ {size:.0f} КБ; ошибок: {result.error_count}"
        + (f" ({', '.join(f'{k} × {v}' for k, v in result.errors.most_common())})"
           if result.errors else "")
    )  # fmt: skip
    available = (os.cpu_count() or 1) * result.seconds
    others = max(0.0, result.machine_cpu - result.server_cpu - result.generator_cpu)
    print(
        f"  CPU за прогон: сервер {result.server_cpu:.1f} s, генератор "
        f"{result.generator_cpu:.1f} s, прочие процессы {others:.1f} s "
        f"из {available:.1f} s ({os.cpu_count()} ядра × {result.seconds:.1f} s)"
    )
    if others > 0.1 * available:
        print("  ВНИМАНИЕ: машина занята посторонней работой — цифры занижены, повторите замер.")


def goal_line(result: Result) -> None:
    missed = []
    if result.rps < GOAL_RPS:
        missed.append(f"{result.rps:.0f} запросов/с")
    if result.percentile(95) > GOAL_P95_MS:
        missed.append(f"p95 {result.percentile(95):.1f} ms")
    if result.error_count:
        missed.append(f"ошибок {result.error_count}")
    verdict = "достигнута" if not missed else "НЕ достигнута: " + ", ".join(missed)
    print(f"цель: ≥ {GOAL_RPS} запросов/с, p95 ≤ {GOAL_P95_MS:.0f} мс, 0 ошибок — {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="school page run, s")
    parser.add_argument("--short-seconds", type=float, default=5, help="other pages, s")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="generator processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-public-load-"))
    server: Server | None = None
    try:
        env = server_env(tmp)
        began = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")  # the manifest storage is used with DEBUG off
        took = time.perf_counter() - began
        print(f"Подготовка (migrate, load_demo, collectstatic): {took:.1f} s")

        server = Server(env, tmp, args.workers)
        if not server.wait_ready("/p/school7/"):
            print("Сервер не запустился:\n" + server.log_tail(), file=sys.stderr)
            return 1
        threads = args.concurrency / max(1, min(args.processes, args.concurrency))
        print(
            f"gunicorn: {args.workers} sync-воркера, DEBUG=0, файловый кэш, SQLite; генератор: "
            f"{args.processes} процесса × {threads:g} потоков, новое соединение на каждый запрос."
        )
        print(
            f"Машина: {os.cpu_count()} ядра — сервер и генератор делят одни и те же ядра, "
            "так что цифры — нижняя граница для отдельного сервера."
        )
        pages = [
            ("Страница школы", "/p/school7/", args.seconds),
            ("Страница муниципалитета", "/p/ensk/", args.short_seconds),
            ("Лента Atom школы", "/p/school7/feed.atom", args.short_seconds),
        ]
        for _, path, _ in pages:
            warm_up(server, path, 300 if path == "/p/school7/" else 100, args.concurrency)
        for index, (label, path, seconds) in enumerate(pages):
            result = run_load(server, path, seconds, args.concurrency, args.processes)
            report(label, path, result, args.concurrency)
            if index == 0:
                goal_line(result)
        if "Traceback" in server.log_tail(200):
            print("В журнале gunicorn есть ошибки:\n" + server.log_tail())
        return 0
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
