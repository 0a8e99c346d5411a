"""The demo's monitoring history: the triggers of 2022–2025 run year by year and every case handled through
the procedure by the console actor — severe cases identified as monitoring objects with an assistance
measure, the others dismissed after the visit, and objects whose conditions hold eliminated the next year."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.monitoring.elimination import elimination_problems
from tuopin.monitoring.models import Clue, MonitoringCase, RiskLevel, Stage
from tuopin.monitoring.runs import monitoring_run
from tuopin.monitoring.services import case_advance, measure_add
from tuopin.registry.models import PovertyStatus

IDENTIFY = (
    Stage.VISITED,
    Stage.COMPARED,
    Stage.REVIEWED,
    Stage.NOTICED,
    Stage.TOWNSHIP_CHECKED,
    Stage.OBJECT,
)
ELIMINATE = (
    Stage.ELIMINATION_REVIEWED,
    Stage.ELIMINATION_NOTICED,
    Stage.ELIMINATION_CHECKED,
    Stage.ELIMINATED,
)
MEASURE_OF = {
    "illness": ("health", "大病救助和医疗费用报销", "县医疗保障局"),
    "natural_disaster": ("housing", "灾后房屋修缮补助", "县应急管理局"),
    "lack_labor": ("social_security", "纳入低保综合保障", "县民政局"),
    "unstable_employment": ("employment", "推荐就近务工和公益性岗位", "县人力资源和社会保障局"),
    "schooling": ("education", "劝返复学和教育资助", "县教育体育局"),
    "industry_failure": ("industry", "产业奖补和技术指导", "县农业农村局"),
    "other": ("social", "帮扶责任人结对帮扶", "乡镇人民政府"),
}


def _past_notice() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "notice_start": (today - datetime.timedelta(days=12)).isoformat(),
        "notice_end": (today - datetime.timedelta(days=6)).isoformat(),
    }


def _step(case: MonitoringCase, stage: Stage, by: User, **kwargs) -> MonitoringCase:
    return case_advance(case=case, to=stage, by=by, version=case.version, **kwargs)


def _category(case: MonitoringCase, codes: set[str]) -> str:
    if "income_below_line" not in codes:
        return "sudden"
    return "marginal" if case.household.status == PovertyStatus.UNREGISTERED else "unstable"


def _identify(case: MonitoringCase, by: User) -> MonitoringCase:
    codes = {r["code"] for clue in Clue.objects.filter(case=case) for r in clue.reasons}
    for stage in IDENTIFY:
        data: dict = {}
        if stage == Stage.NOTICED:
            data = _past_notice()
        elif stage == Stage.OBJECT:
            data = {"category": _category(case, codes), "risk_types": case.risk_types or ["other"]}
        case = _step(case, stage, by, note="演示：按程序办理", data=data)
    kind, text, who = MEASURE_OF.get(case.risk_types[0], MEASURE_OF["other"])
    measure_add(
        case=case,
        kind=kind,
        description=text,
        responsible=who,
        carried_out_on=timezone.localdate(),
        amount="2000",
        by=by,
    )
    return case


def _eliminate(case: MonitoringCase, by: User) -> bool:
    if elimination_problems(case=case, kind="assisted"):
        return False
    for stage in ELIMINATE:
        data = {"elimination_kind": "assisted"} if stage == Stage.ELIMINATION_REVIEWED else {}
        if stage == Stage.ELIMINATION_NOTICED:
            data = _past_notice()
        case = _step(case, stage, by, note="演示：风险消除程序", data=data)
    return True


def handle_history(*, by: User, years, identify: int = 40, dismiss: int = 20) -> dict[str, int]:
    """Per year: eliminate the earlier objects whose conditions now hold, run the triggers, identify the
    ``identify`` most severe new cases (income under the line, or several high risks), dismiss ``dismiss``
    others after the visit, and leave the rest open (a realistic backlog, some of it overdue)."""
    counts = {"monitoring_runs": 0, "objects": 0, "dismissed": 0, "eliminated": 0}
    for year in years:
        for case in MonitoringCase.objects.filter(stage=Stage.OBJECT, year__lt=year).select_related(
            "household"
        ):
            counts["eliminated"] += _eliminate(case, by)
        monitoring_run(year=year, by=by)
        counts["monitoring_runs"] += 1
        identified = dismissed = 0
        cases = MonitoringCase.objects.filter(stage=Stage.CLUE, year=year).select_related("household")
        for case in cases.order_by("household__household_no"):
            codes = {r["code"] for clue in case.clues.all() for r in clue.reasons}
            severe = "income_below_line" in codes or (case.risk_level == RiskLevel.HIGH and len(codes) >= 2)
            if severe and identified < identify:
                _identify(case, by)
                identified += 1
            elif not severe and dismissed < dismiss:
                _step(case, Stage.DISMISSED, by, note="演示：入户核实后收入和支出正常，不纳入监测")
                dismissed += 1
        counts["objects"] += identified
        counts["dismissed"] += dismissed
    return counts
