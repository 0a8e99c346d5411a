"""``tuopin assess --year Y [--json] [--region CODE]``: run the assessment, store it, print its report
(``selectors.run_report``) as text or JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.selectors import run_report
from tuopin.assessment.services import assessment_run
from tuopin.core.errors import ApplicationError
from tuopin.regions.models import Region


class Command(BaseCommand):
    help = "按年度评估全部农户（两不愁三保障和收入），保存结果并输出汇总"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True, help="评估年度，如 2018")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--region", default="", help="只评估该区划代码范围内的农户")

    def handle(self, *args: Any, year: int, json: bool, region: str, **options: Any) -> None:
        scope = None
        if region:
            scope = Region.objects.filter(code=region).first()
            if scope is None:
                raise CommandError(f"没有找到区划代码 {region}")
        try:
            run = assessment_run(year=year, region=scope, by=console_actor())
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report = run_report(run)
        if json:
            self.stdout.write(_dumps(report))
        else:
            self.stdout.write(render_text(report))


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def render_text(report: dict[str, Any]) -> str:
    lines = [
        f"{report['year']}年评估（批次 #{report['run']}，{report['households_assessed']} 户，{report['duration_ms']} 毫秒）",
        f"未脱贫户 {report['not_exited_households']} 户，达到退出标准 {report['eligible_to_exit']} 户",
        "各项标准（未脱贫户中）：",
    ]
    for item in report["criteria_among_not_exited"].values():
        lines.append(
            f"  {item['title']}：达标 {item['pass']}，未达标 {item['fail']}，数据缺失 {item['missing']}"
        )
    plan = report["exit_plan"]
    lines.append(
        f"{report['year']}年脱贫计划 {plan['households']} 户，其中达到标准 {plan['eligible']} 户；未达标："
    )
    for item in plan["still_failing"]:
        lines.append(
            f"  {item['household_no']} {item['head']}（{item['village']}）：{'；'.join(item['failing'])}"
        )
    for warning in report["standards_warnings"]:
        lines.append(f"注意：{warning}")
    for key in report["standards_unset"]:
        lines.append(f"注意：标准 {key} 未设置，相关判定为“数据缺失”")
    return "\n".join(lines)
