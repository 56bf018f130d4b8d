"""The backup archive: a .tar.gz with the database dump, `media/…` and `manifest.json`.

Files are hashed while they are written into the archive and the manifest goes last, so every
byte in the archive is covered by a sha256 in the manifest. Reading extracts into a staging
folder, hashing again, and refuses anything the manifest does not vouch for.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from apps.ops.errors import OpsError

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
READ_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error)


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class Archive:
    manifest: dict[str, Any]
    root: Path  # the staging folder holding the extracted files

    @property
    def media(self) -> Path:
        return self.root / MEDIA_DIR


class _HashingReader:
    """Hands the file to tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# --- writing --------------------------------------------------------------------------------


def media_files(media_root: Path) -> list[Path]:
    """Regular files under MEDIA_ROOT (symbolic links are not followed), in a stable order."""
    if not media_root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(media_root):
        dirs.sort()
        found.extend(Path(folder) / name for name in sorted(files))
    return [path for path in found if path.is_file() and not path.is_symlink()]


def write_archive(
    output: Path, manifest: dict[str, Any], database: Path, media_root: Path
) -> list[FileEntry]:
    """Write the archive atomically (a `.part` file renamed at the end), readable by owner only."""
    partial = output.with_name(output.name + ".part")
    entries: list[FileEntry] = []
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for path, name in _members(database, media_root):
                entry = _add_file(tar, path, name)
                if entry is not None:
                    entries.append(entry)
            manifest["files"] = [entry.as_dict() for entry in entries]
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return entries


def _members(database: Path, media_root: Path) -> Iterator[tuple[Path, str]]:
    yield database, database.name
    for path in media_files(media_root):
        yield path, f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}"


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> FileEntry | None:
    try:
        stream = path.open("rb")
    except FileNotFoundError:  # deleted since the folder was listed (a destroyed consent scan)
        return None
    with stream:
        stat = os.fstat(stream.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(stream)
        tar.addfile(info, reader)
    return FileEntry(name, reader.size, reader.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# --- reading --------------------------------------------------------------------------------


def read_archive(path: Path, staging: Path) -> Archive:
    """Extract into `staging` and check every file against the manifest, or raise OpsError."""
    if not path.exists():
        raise OpsError(f"Файл {path} не найден.")
    if not path.is_file():
        raise OpsError(f"{path} — не файл.")
    try:
        digests = _extract(path, staging)
    except READ_ERRORS as exc:
        raise OpsError(
            f"Файл {path} не является архивом резервной копии или повреждён ({exc})."
        ) from exc
    manifest = _load_manifest(staging, digests)
    _check_files(manifest, digests)
    (staging / MEDIA_DIR).mkdir(exist_ok=True)
    return Archive(manifest, staging)


def _extract(path: Path, staging: Path) -> dict[str, FileEntry]:
    digests: dict[str, FileEntry] = {}
    with tarfile.open(path, mode="r:gz") as tar:
        for member in tar:
            if member.isdir():
                continue
            name = _safe_name(member)
            if name in digests:
                raise OpsError(f"В архиве дважды встречается файл {name}.")
            source = tar.extractfile(member)
            if source is None:
                raise OpsError(f"Недопустимый элемент архива: {name}.")
            digests[name] = _copy(source, staging / name, name, member.mtime)
    return digests


def _safe_name(member: tarfile.TarInfo) -> str:
    pure = PurePosixPath(member.name)
    if (
        not member.isfile()
        or pure.is_absolute()
        or "\\" in member.name
        or any(part in {"", ".", ".."} for part in member.name.split("/"))
    ):
        raise OpsError(f"Недопустимый элемент архива: {member.name!r}.")
    return pure.as_posix()


def _copy(source: BinaryIO, target: Path, name: str, mtime: float) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stream = target.open("xb")
    except OSError as exc:
        raise OpsError(f"Не удалось распаковать {name}: {exc}") from exc
    with stream:
        while chunk := source.read(CHUNK):  # read errors: a damaged archive (caught above)
            digest.update(chunk)
            size += len(chunk)
            try:
                stream.write(chunk)
            except OSError as exc:
                raise OpsError(f"Не удалось распаковать {name}: {exc}") from exc
    os.utime(target, (mtime, mtime))
    return FileEntry(name, size, digest.hexdigest())


def _load_manifest(staging: Path, digests: dict[str, FileEntry]) -> dict[str, Any]:
    if MANIFEST not in digests:
        raise OpsError(f"В архиве нет {MANIFEST}: это не резервная копия «Наставника».")
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        valid = (
            manifest.get("format") == FORMAT
            and isinstance(manifest.get("engine"), str)
            and isinstance(manifest.get("database_file"), str)
            and _is_mapping(manifest.get("tables"), lambda rows: type(rows) is int)
            and _is_mapping(manifest.get("migrations"), _is_names)
            and isinstance(files, list)
            and all(_is_entry(entry) for entry in files)
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OpsError(f"{MANIFEST} в архиве повреждён ({exc}).") from exc
    if not valid:
        raise OpsError(f"{MANIFEST} в архиве повреждён или другого формата.")
    return manifest


def _is_mapping(value: Any, valid: Callable[[Any], bool]) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and valid(item) for key, item in value.items()
    )


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) for name in value)


def _is_entry(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
    )


def _check_files(manifest: dict[str, Any], digests: dict[str, FileEntry]) -> None:
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for name, entry in listed.items():
        actual = digests.get(name)
        if actual is None:
            raise OpsError(f"В архиве нет файла {name}, указанного в манифесте.")
        if actual.sha256 != entry["sha256"] or actual.size != entry["size"]:
            raise OpsError(
                f"Файл {name} в архиве повреждён или изменён: контрольная сумма не совпадает "
                "с манифестом."
            )
    for name in digests:
        if name != MANIFEST and name not in listed:
            raise OpsError(f"Файл {name} в архиве не указан в манифесте.")
    database = manifest["database_file"]
    if database not in listed or "/" in database:
        raise OpsError(f"В архиве нет дампа базы данных {database}.")
