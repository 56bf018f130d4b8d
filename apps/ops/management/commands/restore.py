from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from apps.ops.backup import format_count, restore_backup
from apps.ops.errors import OpsError


class Command(BaseCommand):
    help = "Восстановление из архива команды backup: заменяет базу данных и файлы MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="архив .tar.gz, сделанный командой backup")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="подтвердить, что текущие база данных и файлы будут перезаписаны",
        )

    def handle(self, *args: object, path: Path, yes: bool = False, **options: object) -> None:
        if not yes:
            raise CommandError(
                "Восстановление перезапишет всю базу данных и все файлы MEDIA_ROOT содержимым "
                f"копии {path}. Текущие данные будут потеряны. Если вы уверены, повторите "
                "команду с --yes."
            )
        try:
            summary = restore_backup(Path(path))
        except OpsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Восстановлено из {path}")
        self.stdout.write(
            f"  база данных: таблиц — {format_count(summary.tables)}, "
            f"строк — {format_count(summary.rows)} (совпадает с манифестом)"
        )
        self.stdout.write(
            f"  файлы: {format_count(summary.files)} ({filesizeformat(summary.media_bytes)})"
        )
        if summary.needs_migrate:
            self.stdout.write(
                "Копия сделана более старой версией программы: выполните "
                "`manage.py migrate`, чтобы обновить структуру базы."
            )
