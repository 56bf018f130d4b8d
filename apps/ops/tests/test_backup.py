"""backup → change everything → restore gives back every table row and every media file.

Runs on whatever database the suite uses: SQLite (in memory under pytest: the sqlite3 backup API
works on Django's own connection) and PostgreSQL (pg_dump/pg_restore into the test database).
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from apps.events.models import Event, EventAudience, EventKind
from apps.library.models import Material
from apps.library.services import save_material
from apps.ops import backup as backup_module
from apps.ops.errors import OpsError
from apps.orgs.models import Organisation
from apps.people.models import Consent, Person
from apps.people.services import resolve_subjects
from apps.surveys.services import install_shipped
from tests.factories import (
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

# Making a backup needs committed data (SQLite's backup API cannot read from a connection in the
# middle of a write transaction; pg_dump sees only committed rows), so every test that makes one
# is transactional. They are few and check several things each: emptying the tables after a
# transactional test is the slow part on PostgreSQL.
transactional = pytest.mark.django_db(transaction=True)

Snapshot = tuple[dict[str, list[tuple]], dict[str, bytes]]


# --- state of the installation --------------------------------------------------------------


def model_tables() -> dict[str, list[tuple]]:
    """Every row of every model's table and of the m2m tables, as tuples ordered by pk."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        state[model._meta.db_table] = list(rows)
    return state


def other_tables(known: set[str]) -> dict[str, list[tuple]]:
    """Tables without a model (the SQLite full-text index of the library), rows sorted."""
    state = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in known:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            state[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return state


def media_state() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def snapshot() -> Snapshot:
    tables = model_tables()
    tables.update(other_tables(set(tables)))
    return tables, media_state()


# --- data of several apps -------------------------------------------------------------------


@pytest.fixture
def world():
    region = OrganisationFactory(kind="region", short_name="Регион", slug="r")
    school = OrganisationFactory(parent=region, short_name="Школа № 1", slug="s1")
    user = UserFactory(email="curator@example.org")
    MembershipFactory(user=user, organisation=school, role="curator")
    subjects = resolve_subjects(["Математика", "Физика"])
    people = [PersonFactory(organisation=school) for _ in range(3)]
    people[0].subjects.set(subjects.values())
    people[1].subjects.add(subjects["математика"])
    consent = ConsentFactory(
        person=people[0], scan=SimpleUploadedFile("скан согласия.pdf", b"%PDF-1.4 scan " * 50)
    )
    ConsentFactory(person=people[1], scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 other"))
    install_shipped(org=school)
    material = Material(
        organisation=school,
        title="Формирующее оценивание на уроке математики",
        annotation="Приёмы и листы самооценки",
        file=ContentFile(b"practice notes", name="notes.txt"),
    )
    save_material(material, by=user)
    start = timezone.make_aware(datetime.datetime(2026, 10, 5, 15, 0))  # noqa: DTZ001
    Event.objects.create(
        organisation=school,
        kind=EventKind.choices[0][0],
        title="Семинар наставников",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        audience=EventAudience.choices[0][0],
    )
    return {"school": school, "people": people, "consent": consent}


def change_everything(world) -> None:
    consent = Consent.objects.get(pk=world["consent"].pk)
    Path(consent.scan.path).unlink()
    consent.delete()
    Organisation.objects.filter(pk=world["school"].pk).update(short_name="Переименована")
    world["people"][1].subjects.clear()
    PersonFactory(organisation=world["school"], last_name="Новикова")
    Person.objects.filter(pk=world["people"][2].pk).delete()
    media = Path(settings.MEDIA_ROOT)
    (media / "extra").mkdir()
    (media / "extra" / "new.txt").write_bytes(b"added after the backup")
    material = Material.objects.get()
    Path(material.file.path).write_bytes(b"overwritten")


@pytest.fixture
def archive(world, tmp_path) -> Path:
    path = tmp_path / "backups" / "copy.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with tarfile.open(source, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def edit_manifest(change: Callable[[dict], None]) -> Callable[[dict[str, bytes]], None]:
    def apply(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return apply


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), yes=True, stdout=out)
    return out.getvalue()


def no_staging_left() -> bool:
    parent = Path(settings.MEDIA_ROOT).parent
    return not list(parent.glob(".nastavnik-restore-*"))


# --- tests ---------------------------------------------------------------------------------


@transactional
def test_round_trip_restores_every_table_and_every_file(world, tmp_path):
    before = snapshot()
    assert len(before[1]) == 3  # two consent scans and the library file
    assert sum(map(len, before[0].values())) > 50
    output = io.StringIO()
    path = tmp_path / "copy.tar.gz"
    call_command("backup", output=str(path), stdout=output)
    assert "Резервная копия сохранена" in output.getvalue()
    assert "файлы: 3" in output.getvalue()

    change_everything(world)
    changed = snapshot()
    assert changed[0] != before[0]
    assert changed[1] != before[1]

    report = restore(path)

    after = snapshot()
    assert after[1] == before[1]
    assert after[0].keys() == before[0].keys()
    for table, rows in before[0].items():
        assert after[0][table] == rows, table
    assert "совпадает с манифестом" in report
    assert no_staging_left()
    # The restored database keeps working: new rows get fresh keys.
    assert PersonFactory(organisation=world["school"]).pk > max(p.pk for p in world["people"])


@transactional
def test_manifest_default_path_and_no_overwrite(archive, settings, tmp_path):
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[-1] == "manifest.json"
    assert manifest["engine"] == connection.vendor
    assert manifest["django_version"]
    assert manifest["created_at"]
    assert manifest["tables"]["people_consent"] == 2
    assert manifest["tables"]["people_person_subjects"] == 3
    graph = MigrationLoader(None).graph
    assert manifest["migrations"]["orgs"] == [name for _, name in graph.leaf_nodes("orgs")]
    files = {entry["path"]: entry for entry in manifest["files"]}
    assert set(files) == {name for name in names if name != "manifest.json"}
    assert manifest["database_file"] in files
    assert all(len(entry["sha256"]) == 64 for entry in files.values())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    with pytest.raises(CommandError, match="уже существует"):
        call_command("backup", output=str(archive), stdout=io.StringIO())
    inside = Path(settings.MEDIA_ROOT) / "copy.tar.gz"
    with pytest.raises(CommandError, match="нельзя сохранять внутри MEDIA_ROOT"):
        call_command("backup", output=str(inside), stdout=io.StringIO())

    settings.BASE_DIR = tmp_path / "project"
    call_command("backup", stdout=io.StringIO())
    (created,) = (tmp_path / "project" / "backups").iterdir()
    assert created.name.startswith("nastavnik-")
    assert created.name.endswith(".tar.gz")


def assert_refused(path: Path, message: str, case: str = "") -> None:
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert snapshot() == before, case
    assert no_staging_left(), case


def tamper_media(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("media/library/"))
    members[name] = b"malicious"


def tamper_database(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("database."))
    members[name] = members[name][:-1] + bytes([members[name][-1] ^ 0xFF])


def plant(members: dict[str, bytes]) -> None:
    members["media/planted.html"] = b"<script>"


def escape(members: dict[str, bytes]) -> None:
    members["media/../../escape.txt"] = b"x"


def drop_manifest(members: dict[str, bytes]) -> None:
    del members["manifest.json"]


def garble_manifest(members: dict[str, bytes]) -> None:
    members["manifest.json"] = b"{not json"


def other_engine(manifest: dict) -> None:
    manifest["engine"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"


def wrong_types(manifest: dict) -> None:
    manifest["tables"]["people_person"] = "many"
    manifest["migrations"]["orgs"] = 7


def newer_code(manifest: dict) -> None:
    manifest["migrations"]["orgs"] = ["9999_from_the_future"]


REFUSALS = [
    (tamper_media, r"Файл media/library/.*notes.*\.txt в архиве повреждён или изменён"),
    (tamper_database, r"Файл database\.\w+ в архиве повреждён или изменён"),
    (plant, "Файл media/planted.html в архиве не указан в манифесте"),
    (escape, "Недопустимый элемент архива"),
    (drop_manifest, "В архиве нет manifest.json"),
    (garble_manifest, "manifest.json в архиве повреждён"),
    (edit_manifest(wrong_types), "manifest.json в архиве повреждён"),
    (edit_manifest(other_engine), "Копия сделана с базы .*восстановить её в эту базу нельзя"),
    (edit_manifest(newer_code), "более новой версией программы.*orgs.9999_from_the_future"),
]


@transactional
def test_refusals_name_the_problem_and_change_nothing(archive, world, tmp_path):
    change_everything(world)  # whatever is there now must survive every refusal

    with pytest.raises(CommandError, match="перезапишет всю базу данных и все файлы"):
        call_command("restore", str(archive), stdout=io.StringIO())

    for number, (change, message) in enumerate(REFUSALS):
        bad = rewrite(archive, tmp_path / f"bad-{number}.tar.gz", change)
        assert_refused(bad, message, case=message)
    assert not (tmp_path.parent / "escape.txt").exists()

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-2000])
    assert_refused(truncated, "не является архивом резервной копии или повреждён")


@transactional
def test_failed_database_restore_puts_media_back(archive, world, monkeypatch):
    change_everything(world)
    before = snapshot()

    def fail(path: Path) -> None:
        raise OpsError("pg_restore завершился с ошибкой: тест")

    monkeypatch.setattr(backup_module.dbdump, "restore_database", fail)
    with pytest.raises(CommandError, match="pg_restore завершился с ошибкой"):
        restore(archive)
    assert snapshot() == before
    assert no_staging_left()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "не найден"),
        (b"just text", "не является архивом"),
        (gzip.compress(b"hello " * 1000), "не является архивом резервной копии или повреждён"),
    ],
    ids=["missing", "not-gzip", "gzip-not-tar"],
)
def test_bad_input_gives_a_message(tmp_path, content, message):
    path = tmp_path / "bad.tar.gz"
    if content is not None:
        path.write_bytes(content)
    assert_refused(path, message)


@pytest.mark.django_db
def test_backup_inside_a_write_transaction(tmp_path):
    """SQLite's backup API would wait forever for the connection's own write transaction."""
    OrganisationFactory(kind="region")
    path = tmp_path / "copy.tar.gz"
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="внутри незавершённой транзакции"):
            call_command("backup", output=str(path), stdout=io.StringIO())
        assert not path.exists()
        assert list(tmp_path.iterdir()) == []
    else:  # pg_dump simply sees the committed state
        call_command("backup", output=str(path), stdout=io.StringIO())
        assert path.exists()


def test_command_line_exit_code_without_traceback(tmp_path):
    env = {
        **os.environ,
        "NASTAVNIK_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage = Path(settings.BASE_DIR) / "manage.py"
    result = subprocess.run(  # noqa: S603 — this interpreter and the project's manage.py
        [sys.executable, str(manage), "restore", str(tmp_path / "missing.tar.gz"), "--yes"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "не найден" in result.stderr
    assert "Traceback" not in result.stderr
