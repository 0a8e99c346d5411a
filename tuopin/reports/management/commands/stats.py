import json

from django.core.management.base import BaseCommand

from tuopin.accounts.permissions import console_actor
from tuopin.assistance.selectors import structure_figures
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
        assistance = structure_figures()
        if as_json:
            figures.update({f"assistance.{key}": value for key, value in assistance.items()})
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        # the figures of ``registry_figures``: households, people, label
        lines = (
            ("registered_households", "registered_people", "建档立卡"),
            ("exited_households", "exited_people", "已脱贫"),
            ("not_exited_households", "not_exited_people", "未脱贫"),
            ("planned_exit_households", "planned_exit_people", f"{year}年计划脱贫"),
            ("relapsed_households", "relapsed_people", "其中返贫"),
            ("unregistered_households", "unregistered_people", "卡外农户"),
        )
        for households_key, people_key, label in lines:
            self.stdout.write(f"{label}：{figures[households_key]} 户 {figures[people_key]} 人")
        self.stdout.write(
            "挂包帮：{paired_units} 家单位挂联 {paired_villages} 个行政村 {paired_groups} 个村小组；"
            "{leaders} 名县级领导挂联 {leader_natural_villages} 个自然村（组）；"
            "{cadres} 名帮扶干部帮扶 {cadre_households} 户；"
            "驻村工作队 {work_teams} 支 {work_team_members} 人，联络员 {liaison_officers} 名；"
            "分指挥部 {sub_commands} 个".format(**assistance)
        )
