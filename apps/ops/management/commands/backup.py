from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from apps.ops import dbdump
from apps.ops.backup import create_backup, format_count
from apps.ops.errors import OpsError


class Command(BaseCommand):
    help = "Резервная копия: база данных и все файлы MEDIA_ROOT в одном архиве .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="путь к архиву (по умолчанию backups/nastavnik-ГГГГММДД-ЧЧММСС.tar.gz)",
        )

    def handle(self, *args: object, output: Path | None = None, **options: object) -> None:
        try:
            summary = create_backup(Path(output) if output else None)
        except OpsError as exc:
            raise CommandError(str(exc)) from exc
        engine = dbdump.engine_label(dbdump.engine())
        self.stdout.write(f"Резервная копия сохранена: {summary.path}")
        self.stdout.write(f"  размер архива: {filesizeformat(summary.size)}")
        self.stdout.write(
            f"  база данных ({engine}): таблиц — {format_count(summary.tables)}, "
            f"строк — {format_count(summary.rows)}"
        )
        self.stdout.write(
            f"  файлы: {format_count(summary.files)} ({filesizeformat(summary.media_bytes)})"
        )
