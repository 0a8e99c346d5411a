"""``tuopin monitor --year Y [--json]``: run every trigger for a data year, store the run, and print clues by
trigger and village, objects by category and stage, and the risk model's held-out AUC, Brier score and
reliability table (JSON: ``risk_model.auc``, ``risk_model.brier``, ``risk_model.reliability``)."""

import json

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError
from tuopin.monitoring.engine.triggers import TRIGGER_RULESET
from tuopin.monitoring.risk import risk_model_fit
from tuopin.monitoring.runs import monitoring_run
from tuopin.monitoring.selectors import monitoring_overview
from tuopin.regions.models import Region


class Command(BaseCommand):
    help = "运行防止返贫监测预警（全部预警规则），保存批次并输出线索、监测对象和风险排序模型的检验结果"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="监测数据年度")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        actor = console_actor()
        try:
            run = monitoring_run(year=options["year"], by=actor)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        overview = monitoring_overview(user=actor)
        model = risk_model_fit()
        titles = {rule.code: rule.title for rule in TRIGGER_RULESET.rules}
        names = dict(
            Region.objects.filter(pk__in=[int(pk) for pk in run.summary["by_village"]]).values_list(
                "pk", "name"
            )
        )
        result = {
            "run": run.pk,
            "year": run.year,
            "households": run.households,
            "fired": run.fired,
            "clues_raised": run.summary.get("clues", 0),
            "duration_ms": run.duration_ms,
            "clues_by_trigger": run.summary["by_trigger"],
            "clues_by_village": {
                names.get(int(pk), pk): counts for pk, counts in run.summary["by_village"].items()
            },
            **overview.as_json(),
            "risk_model": model.as_json() if model else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{run.year}年监测预警 #{run.pk}：{run.households}户，触发{run.fired}户，用时{run.duration_ms}毫秒"
        )
        for code, count in run.summary["by_trigger"].items():
            self.stdout.write(f"  {titles[code]}：{count}户")
        self.stdout.write("按村：")
        for name, counts in result["clues_by_village"].items():
            self.stdout.write(f"  {name}：{counts['households']}户")
        self.stdout.write(
            "监测对象（按类别）：" + "，".join(f"{k}{v}户" for k, v in result["objects_by_category"].items())
        )
        self.stdout.write(
            "案卷（按环节）：" + "，".join(f"{k}{v}" for k, v in result["cases_by_stage"].items() if v)
        )
        if model:
            self._print_model(model)
        else:
            self.stdout.write("风险排序模型：历史监测对象不足，未训练")

    def _print_model(self, model) -> None:
        held_out = model.held_out
        auc = "无法计算（留出年度只有一类）" if held_out.auc is None else f"{held_out.auc:.3f}"
        brier = "—" if held_out.brier is None else f"{held_out.brier:.4f}"
        self.stdout.write(
            f"风险排序模型：训练年度{model.train_years}，留出{model.test_year}年"
            f"（{held_out.households:,}户）检验 AUC {auc}，Brier 评分 {brier}"
        )
        self.stdout.write("  校准（预测区间：户数，平均预测，实际比例）：")
        for band in held_out.reliability:
            mean = "—" if band.mean_predicted is None else f"{band.mean_predicted:.1%}"
            share = "—" if band.observed_share is None else f"{band.observed_share:.1%}"
            self.stdout.write(f"    {band.label}：{band.households:,}户，{mean}，{share}")
