"""Database dumps for backups.

PostgreSQL: `pg_dump --format=custom` inside an exported snapshot, so the row counts written to
the manifest describe exactly the dumped data; restore with `pg_restore` in one transaction.
SQLite: the sqlite3 online backup API on Django's own connection (a consistent copy even while
others write, and it works for the in-memory database of the tests too).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from apps.ops.errors import OpsError

SQLITE_DUMP = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"
DUMP_FILES = {"sqlite": SQLITE_DUMP, "postgresql": POSTGRES_DUMP}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# libpq environment variables filled from DATABASES["default"]["OPTIONS"].
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


@dataclass(frozen=True)
class Dump:
    path: Path
    row_counts: dict[str, int]
    migrations: dict[str, list[str]]


def engine() -> str:
    """The vendor of the configured database: "sqlite" or "postgresql"."""
    return connection.vendor


def engine_label(vendor: str) -> str:
    return ENGINE_LABELS.get(vendor, vendor)


def server_version() -> str:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return str(connection.pg_version)
    return sqlite3.sqlite_version


def dump_database(directory: Path) -> Dump:
    """Dump the default database into `directory`; counts and migrations match the dump."""
    if connection.vendor == "sqlite":
        return _dump_sqlite(directory / SQLITE_DUMP)
    if connection.vendor == "postgresql":
        return _dump_postgres(directory / POSTGRES_DUMP)
    raise OpsError(
        f"Резервное копирование базы «{connection.vendor}» не поддерживается: "
        "только PostgreSQL и SQLite."
    )


def restore_database(dump_path: Path) -> None:
    """Replace the whole content of the default database with the dump."""
    if connection.vendor == "sqlite":
        _restore_sqlite(dump_path)
    elif connection.vendor == "postgresql":
        _restore_postgres(dump_path)
    else:
        raise OpsError(f"Восстановление базы «{connection.vendor}» не поддерживается.")


def current_row_counts(tables: Iterable[str]) -> dict[str, int | None]:
    """Rows per table of the live database; None for a table that does not exist."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        counts: dict[str, int | None] = dict.fromkeys(tables)
        found = _count_rows(cursor, [t for t in counts if t in existing])
    counts.update(found)
    return counts


# --- migrations -----------------------------------------------------------------------------


def migration_leaves(applied: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The last applied migrations per app: applied ones with no applied successor in the app."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    applied = set(applied)
    leaves: dict[str, list[str]] = defaultdict(list)
    for key in sorted(applied):
        node = graph.node_map.get(key)
        if node is None:  # a record of a migration no longer on disk (e.g. squashed away)
            continue
        if any(child.key[0] == key[0] and child.key in applied for child in node.children):
            continue
        leaves[key[0]].append(key[1])
    return dict(leaves)


def unknown_migrations(leaves: dict[str, list[str]]) -> list[str]:
    """Migrations of a backup that this code does not have (the backup is newer than the code)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    pairs = [(app, name) for app, names in leaves.items() for name in names]
    return [f"{app}.{name}" for app, name in pairs if (app, name) not in known]


def has_unapplied_migrations() -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- SQLite ---------------------------------------------------------------------------------


def _dump_sqlite(path: Path) -> Dump:
    connection.ensure_connection()
    if connection.connection.in_transaction:
        # The backup API waits forever for a source connection that is itself writing.
        raise OpsError("Резервную копию SQLite нельзя делать внутри незавершённой транзакции.")
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file in the archive, whatever journal mode the live database uses.
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = _count_rows(cursor, tables)
        applied = _applied(cursor, "django_migrations" in tables)
    except sqlite3.Error as exc:
        raise OpsError(f"Не удалось скопировать базу SQLite: {exc}") from exc
    finally:
        target.close()
    return Dump(path, counts, migration_leaves(applied))


def _restore_sqlite(dump_path: Path) -> None:
    connection.ensure_connection()
    live = connection.connection
    if connection.in_atomic_block or live.in_transaction:
        raise OpsError("Восстановление нельзя выполнять внутри незавершённой транзакции.")
    source = sqlite3.connect(dump_path)
    try:
        source.backup(live)
    except sqlite3.Error as exc:
        raise OpsError(f"Не удалось восстановить базу SQLite: {exc}") from exc
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def _dump_postgres(path: Path) -> Dump:
    binary = _require_binary("pg_dump")
    with _snapshot() as (cursor, snapshot):
        tables = [
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type in {"t", "p"}
        ]
        counts = _count_rows(cursor, tables)
        applied = _applied(cursor, "django_migrations" in tables)
        command = [binary, "--format=custom", "--no-password", f"--file={path}"]
        if snapshot:
            command.append(f"--snapshot={snapshot}")
        command.append(f"--dbname={_conninfo()}")
        _run_pg(command, "pg_dump")
    return Dump(path, counts, migration_leaves(applied))


def _restore_postgres(dump_path: Path) -> None:
    binary = _require_binary("pg_restore")
    if connection.in_atomic_block:
        raise OpsError("Восстановление нельзя выполнять внутри незавершённой транзакции.")
    # Our idle connection holds no locks, but close it anyway: the tables are about to be dropped.
    connection.close()
    command = [
        binary,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={_conninfo()}",
        str(dump_path),
    ]
    _run_pg(command, "pg_restore")


@contextlib.contextmanager
def _snapshot() -> Iterator[tuple[Any, str | None]]:
    """A read-only repeatable-read transaction whose snapshot pg_dump joins (`--snapshot`).

    Inside an outer transaction the isolation level can no longer be set: the counts and the dump
    are then taken separately (only possible in tests that wrap everything in a transaction).
    """
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            yield cursor, None
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor, cursor.fetchone()[0]


def _require_binary(name: str) -> str:
    binary = shutil.which(name)
    if binary is None:
        raise OpsError(
            f"Не найдена программа {name}. Установите пакет postgresql-client той же основной "
            "версии, что и сервер PostgreSQL (например: apt-get install postgresql-client)."
        )
    return binary


def _run_pg(command: list[str], name: str) -> None:
    # S603: a binary found by shutil.which, arguments as a list, no shell involved.
    result = subprocess.run(  # noqa: S603
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        details = (result.stderr or result.stdout).strip() or f"код выхода {result.returncode}"
        raise OpsError(f"{name} завершился с ошибкой: {details}")


def _conninfo() -> str:
    """`dbname='…'` for libpq: the other parameters come through the environment."""
    name = str(connection.settings_dict["NAME"])
    escaped = name.replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{escaped}'"


def _pg_env() -> dict[str, str]:
    """Connection parameters of the Django connection as libpq variables (no password in argv)."""
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values.update({env_name: options.get(key) for key, env_name in PG_OPTION_ENV.items()})
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


# --- shared ---------------------------------------------------------------------------------


def _count_rows(cursor: Any, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        quoted = connection.ops.quote_name(table)
        # S608: the name comes from the database catalogue and is quoted as an identifier.
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied(cursor: Any, has_table: bool) -> list[tuple[str, str]]:
    if not has_table:
        return []
    cursor.execute("SELECT app, name FROM django_migrations")
    return [(str(app), str(name)) for app, name in cursor.fetchall()]
