"""``tuopin assess --year Y [--json] [--region CODE]``: run the assessment, store it, print the results."""

import json

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.selectors import county_indicators, exit_plan, village_status
from tuopin.assessment.services import assessment_run
from tuopin.core.errors import ApplicationError
from tuopin.regions.models import Region


class Command(BaseCommand):
    help = "按年度评估全部农户（两不愁三保障和收入），保存结果并输出汇总"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="评估年度，如 2018")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--region", default="", help="只评估该区划代码范围内的农户")

    def handle(self, *args, year: int, json: bool, region: str, **options):
        scope = None
        if region:
            scope = Region.objects.filter(code=region).first()
            if scope is None:
                raise CommandError(f"没有找到区划代码 {region}")
        try:
            run = assessment_run(year=year, region=scope, by=console_actor())
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report = build_report(run)
        if json:
            self.stdout.write(_dumps(report))
        else:
            self.stdout.write(render_text(report))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def build_report(run) -> dict:
    from tuopin.assessment.engine.rules import EXIT_RULESET

    summary = run.summary
    criteria = {c.code: {"title": c.title, **summary["criteria"][c.code]} for c in EXIT_RULESET.criteria}
    rules = {
        r.code: {"title": r.title, "criterion": r.criterion, **summary["rules"][r.code]}
        for r in EXIT_RULESET.rules
    }
    plan = exit_plan(run=run)
    villages = []
    for village in Region.objects.filter(pk__in=[int(k) for k in summary["villages"]]).order_by("path"):
        figures = summary["villages"][str(village.pk)]
        entry = {"code": village.code, "name": village.full_name, **figures}
        if village.is_poor_village:
            status = village_status(run=run, village=village)
            entry["poor_village"] = {
                "status": status.label,
                "indicators": [
                    {
                        "title": i.title,
                        "outcome": i.outcome.name.lower(),
                        "value": i.value,
                        "threshold": i.threshold,
                    }
                    for i in status.indicators
                ],
            }
        villages.append(entry)
    warnings = [
        f"{key}（{item.get('label', key)}）：本年度未设置，沿用{item['year']}年标准 {item['value']}，须核实确认"
        for key, item in run.standards.items()
        if item.get("inherited") and item.get("value") is not None
    ]
    unset = [key for key, item in run.standards.items() if "value" in item and item["value"] is None]
    return {
        "run": run.pk,
        "year": run.year,
        "duration_ms": run.duration_ms,
        "households_assessed": summary["households"],
        "households_by_status": summary["by_status"],
        "not_exited_households": summary["not_exited"],
        "eligible_to_exit": summary["eligible_to_exit"],
        "criteria_among_not_exited": criteria,
        "rules_among_not_exited": rules,
        "standards_warnings": warnings,
        "standards_unset": unset,
        "exit_plan": {
            "households": len(plan),
            "eligible": sum(1 for p in plan if p.eligible),
            "still_failing": [
                {
                    "household_no": p.household_no,
                    "head": p.head_name,
                    "village": p.village,
                    "failing": p.failing,
                }
                for p in plan
                if not p.eligible
            ],
        },
        "villages": villages,
        "county": [
            {
                "title": i.title,
                "outcome": i.outcome.name.lower(),
                "value": i.value,
                "threshold": i.threshold,
                "formula": i.formula,
            }
            for i in county_indicators(run=run)
        ],
        "standards": run.standards,
        "rule_versions": run.rule_versions,
    }


def render_text(report: dict) -> str:
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
