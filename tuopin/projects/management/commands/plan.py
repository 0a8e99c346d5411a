"""``tuopin plan load | summary | audit | export``: the plan as data, its totals, its audit, its tables."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.core.atomic import atomic_open
from tuopin.core.errors import ApplicationError
from tuopin.projects import audit
from tuopin.projects.exports import plan_workbook
from tuopin.projects.models import Plan
from tuopin.projects.selectors import plan_audit, plan_current, plan_summary
from tuopin.projects.services import plan_load, projects_load_seed_plan


class Command(BaseCommand):
    help = "规划数据：load 载入（默认为种子规划），summary 投资汇总，audit 规划自身核对，export 导出xlsx"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="载入规划数据文件（默认：种子规划 嵩明县脱贫攻坚规划）")
        load.add_argument("--file", help="规划数据 JSON 文件")
        for name, text in (
            ("summary", "按工程汇总投资，并列出规划原文所写总额"),
            ("audit", "核对规划中的合计、乘积和重复数字"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("--json", action="store_true", help="输出 JSON")
            p.add_argument("--plan", help="规划版本（默认：最近载入的规划）")
        failures = sub.add_parser("audit-failures", help="只列出不一致的核对结果")
        failures.add_argument("--json", action="store_true")
        failures.add_argument("--plan")
        export = sub.add_parser("export", help="导出规划表格（xlsx）")
        export.add_argument("--plan")
        export.add_argument("--output", required=True, help="输出文件 .xlsx")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "load":
            self._load(options)
            return
        plan = plan_current(options.get("plan"))
        if plan is None:
            raise CommandError("还没有载入规划，请先运行 tuopin plan load")
        if action == "summary":
            self._summary(plan, as_json=options["json"])
        elif action in {"audit", "audit-failures"}:
            self._audit(plan, only_failures=action == "audit-failures", as_json=options["json"])
        elif action == "export":
            path = Path(options["output"])
            content = plan_workbook(plan=plan, user=console_actor())
            with atomic_open(path, "wb") as stream:
                stream.write(content)
            self.stdout.write(f"已导出：{path}")

    def _load(self, options: dict[str, Any]) -> None:
        try:
            if options.get("file"):
                data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
                result = plan_load(data=data, by=console_actor(), is_demo=False)
            else:
                result = projects_load_seed_plan(by=console_actor())
        except (ApplicationError, KeyError, ValueError) as exc:
            raise CommandError(f"载入失败：{getattr(exc, 'message', exc)}") from exc
        self.stdout.write(
            f"已载入“{result.plan}”：{result.programmes}项工程，{result.projects}个项目，"
            f"{result.figures}个数字，{result.checks}个核对项，{result.targets}个目标"
        )
        if result.unplaced:
            self.stdout.write(f"未能在区划树中定位的项目（保留原文地点）：{'、'.join(result.unplaced)}")

    def _summary(self, plan: Plan, *, as_json: bool) -> None:
        data = plan_summary(plan=plan)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{data['title']}（{data['plan']}），单位：万元")
        self.stdout.write(f"{'工程':<14}{'项目数':>6}{'项目合计':>12}{'规划所写':>12}{'差额':>10}")
        for row in data["programmes"]:
            self.stdout.write(
                f"{row['name']:<14}{row['projects']:>6}{row['computed_wan']:>12}"
                f"{row['declared_wan'] or '—':>12}{row['difference_wan'] or '—':>10}"
            )
        grand = data["grand_total"]
        self.stdout.write(
            f"{'合计':<14}{'':>6}{grand['computed_wan']:>12}{grand['declared_wan'] or '—':>12}"
            f"{grand['difference_wan'] or '—':>10}"
        )
        self.stdout.write(f"其中重复计列{grand['double_counted_wan']}万元")

    def _audit(self, plan: Plan, *, only_failures: bool, as_json: bool) -> None:
        findings = plan_audit(plan=plan)
        if only_failures:
            findings = [f for f in findings if f.status == audit.Status.MISMATCH]
        if as_json:
            payload = {
                "plan": plan.version,
                "counts": audit.summary_counts(findings),
                "findings": [f.as_dict() for f in findings],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for f in findings:
            self.stdout.write(
                f"[{audit.STATUS_LABELS[f.status]}] {audit.KIND_LABELS[f.kind]}｜{f.label}："
                f"{f.left.text}（{f.left.place}）"
                f" ↔ {f.right.text}（{f.right.place}）" + (f"；{f.note}" if f.note else "")
            )
        self.stdout.write(json.dumps(audit.summary_counts(findings), ensure_ascii=False))
