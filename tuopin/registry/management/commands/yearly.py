"""``tuopin yearly load FILE --year Y``: load a data year's household figures from a UTF-8 CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError
from tuopin.registry.yearly import yearly_load


class Command(BaseCommand):
    help = "导入某一数据年度的农户年度采集数据（CSV，含 household_no 列）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file")
        parser.add_argument("--year", required=True)

    def handle(self, *args, **options):
        try:
            count = yearly_load(path=Path(options["file"]), year=options["year"], by=console_actor())
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"已导入 {options['year']} 年 {count} 户的年度数据")
