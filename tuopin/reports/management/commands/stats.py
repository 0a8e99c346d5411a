import json

from django.core.management.base import BaseCommand

from tuopin.accounts.permissions import console_actor
from tuopin.registry.selectors import households_for, latest_data_year, registry_figures


class Command(BaseCommand):
    help = "全县建档立卡户数、人数统计（由数据库计算）"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")
        parser.add_argument("--plan-year", type=int, help="脱贫计划年度（默认：最新数据年度）")

    def handle(self, *args, as_json: bool = False, plan_year: int | None = None, **options):
        households = households_for(console_actor())
        year = plan_year or latest_data_year(households) or 0
        figures = registry_figures(households, plan_year=year)
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        labels = {
            "registered": "建档立卡",
            "exited": "已脱贫",
            "not_exited": "未脱贫",
            "planned_exit": f"{year}年计划脱贫",
            "relapsed": "其中返贫",
            "unregistered": "卡外农户",
        }
        for key, label in labels.items():
            self.stdout.write(f"{label}：{figures[key + '_households']} 户 {figures[key + '_people']} 人")
