"""``tuopin standards``: list the standards in force for a year, set one, or load the seed county's rows.

tuopin standards --year 2018
tuopin standards set medical_self_paid_limit 12000 --year 2018 --source "……" [--county 530127] [--confirm]
tuopin standards seed-county [--county 530127]
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError
from tuopin.policy.selectors import standards_resolve
from tuopin.policy.services import standard_set, standards_seed_county
from tuopin.regions.models import Level, Region


class Command(BaseCommand):
    help = "查看或设置政策标准"

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="list", choices=["list", "set", "seed-county"])
        parser.add_argument("key", nargs="?", default="")
        parser.add_argument("value", nargs="?", default="")
        parser.add_argument("--year", type=int, default=date.today().year)  # noqa: DTZ011
        parser.add_argument(
            "--county", default="", help="县区划代码；不填为省级默认（set）或唯一的县（seed-county）"
        )
        parser.add_argument("--source", default="", help="依据文件")
        parser.add_argument("--note", default="")
        parser.add_argument("--confirm", action="store_true", help="标记为待核实")

    def handle(self, *args, action, key, value, year, county, source, note, confirm, **options):
        region = None
        if county:
            region = Region.objects.filter(code=county, level=Level.COUNTY).first()
            if region is None:
                raise CommandError(f"没有找到县级区划 {county}")
        try:
            if action == "set":
                standard_set(
                    key=key,
                    year=year,
                    region=region,
                    value=value,
                    source_document=source,
                    note=note,
                    needs_confirmation=confirm,
                    by=console_actor(),
                )
                self.stdout.write(f"已设置 {key} {year}: {value}")
                return
            if action == "seed-county":
                region = region or Region.objects.filter(level=Level.COUNTY).order_by("pk").first()
                if region is None:
                    raise CommandError("还没有县级区划，请先运行 tuopin demo 或导入区划")
                written = standards_seed_county(county=region, by=console_actor())
                self.stdout.write(f"{region.name}：写入 {written} 条规划所列本县标准")
                return
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for item in standards_resolve(year=year, region=region).values():
            value_text = "（未设置）" if item.value is None else f"{item.value} {item.unit}"
            origin = (
                f"{item.year}年 {item.region_name}，{item.source_document}" if item.value is not None else ""
            )
            flag = f" ⚠ {item.warning}" if item.warning else ""
            self.stdout.write(f"{item.label}：{value_text}  [{origin}]{flag}")
