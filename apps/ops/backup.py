"""Backup and restore of the whole installation: the database and every file of MEDIA_ROOT."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from apps.ops import dbdump
from apps.ops.archive import FORMAT, MEDIA_DIR, FileEntry, read_archive, write_archive
from apps.ops.errors import OpsError


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    size: int
    tables: int
    rows: int
    files: int
    media_bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int
    files: int
    media_bytes: int
    needs_migrate: bool


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / f"nastavnik-{stamp}.tar.gz"


def create_backup(output: Path | None = None) -> BackupSummary:
    output = output or default_output()
    if output.exists():
        raise OpsError(f"Файл {output} уже существует: укажите другой путь в --output.")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if output.resolve().is_relative_to(media_root):
        raise OpsError(f"Копию нельзя сохранять внутри MEDIA_ROOT ({media_root}).")
    try:
        output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = tempfile.TemporaryDirectory(prefix=".nastavnik-backup-", dir=output.parent)
    except OSError as exc:
        raise OpsError(f"Не удалось создать каталог для копии {output.parent}: {exc}") from exc
    with staging as folder:
        dump = dbdump.dump_database(Path(folder))
        manifest = _manifest(dump)
        try:
            entries = write_archive(output, manifest, dump.path, media_root)
        except OSError as exc:
            raise OpsError(f"Не удалось записать архив {output}: {exc}") from exc
    media = [entry for entry in entries if entry.path.startswith(f"{MEDIA_DIR}/")]
    return BackupSummary(
        path=output,
        size=output.stat().st_size,
        tables=len(dump.row_counts),
        rows=sum(dump.row_counts.values()),
        files=len(media),
        media_bytes=sum(entry.size for entry in media),
    )


def _manifest(dump: dbdump.Dump) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "application": "nastavnik",
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "django_version": django.get_version(),
        "engine": dbdump.engine(),
        "engine_version": dbdump.server_version(),
        "database_file": dump.path.name,
        "migrations": dump.migrations,
        "tables": dump.row_counts,
    }


def restore_backup(path: Path) -> RestoreSummary:
    """Check the archive completely, then swap in its media files and database, or change nothing.

    The media folder is swapped first (a rename on the same file system) and swapped back if the
    database restore fails, so a failure never leaves new files next to the old database.
    """
    media_root = Path(settings.MEDIA_ROOT).resolve()  # a symbolic link keeps pointing at it
    with _staging(media_root.parent) as staging:
        archive = read_archive(path, staging)
        manifest = archive.manifest
        _check_compatible(manifest)
        with _swapped(archive.media, media_root, staging / "media-previous"):
            dbdump.restore_database(staging / manifest["database_file"])
        _forget_cached_state()
        _check_row_counts(manifest["tables"])
        media = [
            FileEntry(**entry)
            for entry in manifest["files"]
            if entry["path"].startswith(f"{MEDIA_DIR}/")
        ]
        return RestoreSummary(
            tables=len(manifest["tables"]),
            rows=sum(manifest["tables"].values()),
            files=len(media),
            media_bytes=sum(entry.size for entry in media),
            needs_migrate=dbdump.has_unapplied_migrations(),
        )


@contextlib.contextmanager
def _staging(parent: Path) -> Iterator[Path]:
    """A private folder next to MEDIA_ROOT (same file system, so the swap is a rename)."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=".nastavnik-restore-", dir=parent))
    except OSError as exc:
        raise OpsError(f"Не удалось создать временный каталог в {parent}: {exc}") from exc
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_compatible(manifest: dict[str, Any]) -> None:
    current = dbdump.engine()
    if manifest["engine"] != current:
        raise OpsError(
            f"Копия сделана с базы {dbdump.engine_label(manifest['engine'])}, а сейчас настроена "
            f"{dbdump.engine_label(current)}: восстановить её в эту базу нельзя. Переключите "
            "DATABASE_URL на базу того же вида."
        )
    if manifest["database_file"] != dbdump.DUMP_FILES[current]:
        raise OpsError(f"Неожиданный файл базы данных в архиве: {manifest['database_file']}.")
    unknown = dbdump.unknown_migrations(manifest["migrations"])
    if unknown:
        raise OpsError(
            "Копия сделана более новой версией программы: этой версии неизвестны миграции "
            f"{', '.join(unknown)}. Обновите программу и повторите восстановление."
        )


@contextlib.contextmanager
def _swapped(new: Path, media_root: Path, previous: Path) -> Iterator[None]:
    had_media = media_root.exists()
    try:
        if had_media:
            new.chmod(media_root.stat().st_mode & 0o7777)
            media_root.rename(previous)
        new.rename(media_root)
    except OSError as exc:
        if had_media and not media_root.exists():
            previous.rename(media_root)
        raise OpsError(f"Не удалось заменить каталог файлов {media_root}: {exc}") from exc
    try:
        yield
    except BaseException:
        media_root.rename(new)
        if had_media:
            previous.rename(media_root)
        raise


def _forget_cached_state() -> None:
    """Caches describe the replaced data: content types and pages cached by object versions."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    caches["default"].clear()


def _check_row_counts(expected: dict[str, int]) -> None:
    actual = dbdump.current_row_counts(expected)
    wrong = [
        f"{table}: {'нет таблицы' if actual[table] is None else actual[table]} вместо {rows}"
        for table, rows in sorted(expected.items())
        if actual[table] != rows
    ]
    if wrong:
        raise OpsError(
            "База восстановлена, но число строк не совпадает с манифестом: " + "; ".join(wrong)
        )


def format_count(value: int) -> str:
    return f"{value:,}".replace(",", "\N{NO-BREAK SPACE}")
