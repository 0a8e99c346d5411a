"""``tuopin export -o FILE``: the household or person list in the registry layout (.xlsx or .csv)."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.models import User
from tuopin.accounts.permissions import console_actor
from tuopin.core.atomic import atomic_open
from tuopin.core.cells import csv_value_out
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.parsing.write import write_rows
from tuopin.imports.selectors import export_rows
from tuopin.regions.models import Region
from tuopin.registry import privacy
from tuopin.registry.selectors import HouseholdFilters, persons_for


class Command(BaseCommand):
    help = "按导入格式导出农户或人员名单（.xlsx 或 .csv），导出的文件可原样导回"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx 或 .csv）")
        parser.add_argument("--kind", choices=["households", "people"], default="households")
        parser.add_argument("--region", help="区划代码：只导出该乡镇/村")
        parser.add_argument(
            "--status", default="", help="脱贫状态：poor / exited / relapsed / unregistered / registered"
        )
        parser.add_argument("--query", default="", help="人员名单：按姓名或证件号码筛选")
        parser.add_argument("--user", help="按该用户的辖区导出（默认：全县）")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first() if options["user"] else console_actor()
        if user is None:
            raise CommandError(f"没有用户“{options['user']}”")
        region_id = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"没有区划代码“{options['region']}”")
            region_id = region.pk
        filters = HouseholdFilters(region_id=region_id, status=options["status"])
        people = None
        if options["kind"] == "people":
            people = persons_for(user)
            if options["query"]:
                text = options["query"].strip()
                people = people.filter(name__contains=text) | people.filter(id_number__contains=text)
        rows = export_rows(user=user, filters=filters, people=people)
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"目录 {output.parent} 不存在")
        if output.suffix.lower() == ".csv":
            with atomic_open(output, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow(HEADERS)
                count = 0
                for count, row in enumerate(rows, start=1):  # noqa: B007
                    writer.writerow([csv_value_out(cell) for cell in row])
        else:
            with atomic_open(output, "wb") as stream:
                count = write_rows(stream, HEADERS, rows)
        privacy.record_export(
            user=user or console_actor(),
            what="农户人员名单（控制台）",
            subject=" ".join(
                f"{name}={options[name]}"
                for name in ("kind", "region", "status", "query", "user")
                if options[name]
            ),
            rows=count,
            is_masked=False,
        )
        self.stdout.write(f"已导出 {count} 人到 {output}")
