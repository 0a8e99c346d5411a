"""The seed's plan as data: loaded, placed in the region tree, summarised and audited."""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.accounts.permissions import console_actor
from tuopin.projects.audit import Kind, Status
from tuopin.projects.models import Plan, PlanFigure, Project, ProjectStatus, Target
from tuopin.projects.selectors import plan_audit, plan_summary
from tuopin.projects.services import SEED_PLAN, projects_load_seed_plan

from .conftest import region

pytestmark = pytest.mark.django_db


# The county plan lies beside the project (``../shared/seed/``), as it does in CI.
SEED_TEXT = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_afb1f4d2c9ba7f34.txt"


def test_every_quote_is_in_the_seed_text():
    if not SEED_TEXT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the county plan is missing beside the project: {SEED_TEXT}")
        pytest.skip("the county plan is not beside the project on this machine")
    text = SEED_TEXT.read_text(encoding="utf-8")
    data = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
    for row in [*data["programmes"], *data["projects"], *data["figures"]]:
        for fragment in row["quote"].split("…"):
            assert fragment.strip() in text, (row.get("key", row.get("code")), fragment)


def test_every_seed_item_keeps_its_place_in_the_text():
    data = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
    for row in data["projects"]:
        assert row["key"], row
        assert row["quote"], row
    for row in data["figures"]:
        assert row["ref"], row
        assert row["quote"], row
        assert Decimal(row["value"]) >= 0
    refs = {row["ref"] for row in data["figures"]} | {row["key"] for row in data["projects"]}
    # every section 一 to 六 contributes figures
    for section in ("一", "二", "三", "四", "六"):
        assert any(ref.startswith(section) for ref in refs), section


def test_load_places_every_seed_project_in_the_region_tree(seed):
    assert seed.projects == 47
    assert seed.unplaced == ()
    assert Project.objects.get(seed_key="三(八)18").region == region("大麦地")
    assert Project.objects.get(seed_key="三(八)14").region == region("麦地冲小组")
    # 三岔河至古寨河: the common village of both ends, with the text kept
    road = Project.objects.get(seed_key="三(八)7")
    assert road.region == region("匡郎村委会")
    assert road.place_text == "三岔河至古寨河"
    assert Project.objects.get(seed_key="三(三)1").region.name == "嵩明县"


def test_load_keeps_money_in_yuan_units_costs_and_marks(seed):
    housing = Project.objects.get(seed_key="三(三)1")
    assert housing.investment == Decimal("31899000")
    assert housing.unit_cost == Decimal("21000")
    assert housing.quantity == 1519
    assert Project.objects.get(seed_key="三(八)8").status == ProjectStatus.COMPLETED  # （2018年己实施）
    assert Project.objects.get(seed_key="三(八)9").status == ProjectStatus.PLANNED
    assert Project.objects.filter(status=ProjectStatus.COMPLETED).count() == 7
    figure = PlanFigure.objects.get(key="三(一):上级补助")
    assert (figure.stated_value, figure.stated_unit, figure.value) == (
        Decimal("1449.525"),
        "万元",
        Decimal("14495250"),
    )
    gap = Project.objects.get(seed_key="三(一)1").fundings.get()
    assert (gap.tier, gap.amount) == ("gap", Decimal("19930000"))


def test_load_without_the_region_tree_keeps_the_place_text(db):
    result = projects_load_seed_plan(by=console_actor())
    assert len(result.unplaced) == 47
    assert Project.objects.get(seed_key="三(八)6").place_text == "杨家村"


def test_reloading_is_idempotent_and_keeps_history(seed, county_user):
    project = Project.objects.get(seed_key="三(八)5")
    history_before = project.history.count()
    again = projects_load_seed_plan(by=console_actor())
    assert (again.projects, again.figures, again.targets) == (seed.projects, seed.figures, seed.targets)
    assert Project.objects.count() == 47
    assert project.history.count() == history_before  # nothing changed, nothing recorded


def test_targets_with_township_parts(seed):
    employed = Target.objects.get(figure__key="三(七)1:稳定转移就业")
    assert employed.value == 325
    assert employed.metric == "employed_people"
    parts = {t.region.name: t.value for t in employed.parts.all()}
    assert parts == {"嵩阳街道": 120, "小街镇": 37, "杨林镇": 8, "牛栏江镇": 160}
    assert Target.objects.get(figure__key="三(十)1:低保").value == 292
    assert Target.objects.get(figure__key="三(十)2:特困").parts.count() == 2


def test_summary_computes_totals_from_projects_beside_the_declared_ones(seed):
    summary = plan_summary(plan=seed.plan)
    rows = {row["programme"]: row for row in summary["programmes"]}
    assert rows["relocation"]["computed_wan"] == "2162.00"
    assert rows["relocation"]["declared_wan"] == "2162.00"
    assert rows["industry"]["computed_wan"] == "640.12"
    assert rows["housing"]["computed_wan"] == "9780.70"
    assert rows["employment"]["computed_wan"] == "194.85"
    assert (rows["village"]["computed_wan"], rows["village"]["declared_wan"]) == ("2597.50", "3069.50")
    assert rows["village"]["difference_wan"] == "472.00"
    assert rows["education"]["declared_wan"] is None
    grand = summary["grand_total"]
    assert (grand["computed_wan"], grand["declared_wan"]) == ("15375.17", "15847.00")
    assert grand["double_counted_wan"] == "169.00"


def _find(findings, kind, left_place, right_text_part=""):
    matches = [
        f
        for f in findings
        if f.kind == kind and (f.left.place == left_place) and right_text_part in (f.right.text + f.label)
    ]
    assert matches, (kind, left_place, right_text_part)
    return matches[0]


def test_the_seed_plan_audit_checks_totals_and_products(seed):
    findings = plan_audit(plan=seed.plan)
    # 易地搬迁 141 + 28 + 1993 = 2162 ✓
    relocation = _find(findings, Kind.SUM, "三(一)", "1993万元＋141万元＋28万元")
    assert relocation.status == Status.OK
    # 贫困村脱贫振兴工程: its 29 items add up to 2597.5, not the declared 3069.5
    village = _find(findings, Kind.SUM, "四(一)4", "贫困村脱贫振兴工程")
    assert village.status == Status.MISMATCH
    assert (village.left.text, village.right.value) == ("3069.5万元", Decimal("25975000"))
    # 2162 + 640.12 + 9780.7 + 3069.5 + 194.85 = 15847.17 vs 15847: rounding
    grand = _find(findings, Kind.SUM, "四(一)", "四(一)1–5")
    assert grand.status == Status.ROUNDING
    assert grand.difference_text == "-0.17万元"
    # 1519 × 2.1 = 3189.9 ✓ and 2119 − 600 = 1519 ✓
    assert _find(findings, Kind.PRODUCT, "三(三)1", "1519户×2.1万元/户").status == Status.OK
    assert _find(findings, Kind.SUM, "三(三)1", "2119户−600户").status == Status.OK
    # 600 + 1514 = 2114 ≠ 2119
    four = _find(findings, Kind.SUM, "三(三)", "600户＋1514户")
    assert (four.status, four.right.value) == (Status.MISMATCH, 2114)
    # 214 (一(二)1) vs 241 (二(三))
    planned = next(f for f in findings if f.kind == Kind.REPEATED and f.right.text == "241户")
    assert (planned.status, planned.left.text, planned.left.place, planned.right.place) == (
        Status.MISMATCH,
        "214户",
        "一(二)1",
        "二(三)",
    )


def test_the_seed_plan_audit_finds_repeated_figures_parts_and_overlaps(seed):
    findings = plan_audit(plan=seed.plan)
    # repeated quantities that disagree
    disagreements = {
        (f.left.text, f.right.text)
        for f in findings
        if f.kind == Kind.REPEATED and f.status == Status.MISMATCH
    }
    for pair in [
        ("45个", "46个"),  # 县级领导挂联自然村
        ("994户", "987户"),  # 帮户干部帮扶户数
        ("12个", "13个"),  # 分指挥部
        ("5个", "4个"),  # 3镇2街道 vs 三镇一街道
        ("26人", "16人"),  # 生态护林员 vs 公益岗位护林员
        ("1514户", "1519户"),
        ("3077户", "2948户"),
        ("15种", "20种"),
    ]:
        assert pair in disagreements, pair
    # 匡郎/荒田/大箐 11 + 37 + 23 = 71 ≠ 251
    three = _find(findings, Kind.SUM, "一(三)3", "11户＋37户＋23户")
    assert (three.status, three.right.value) == (Status.MISMATCH, 71)
    # parts that agree: 325 = 120 + 37 + 8 + 160, 33 = 16 + 15 + 2, 12 = 10 + 2
    assert _find(findings, Kind.SUM, "三(七)1", "120人＋37人＋8人＋160人").status == Status.OK
    assert _find(findings, Kind.SUM, "三(七)1", "317人＋7人＋1人").status == Status.OK
    assert _find(findings, Kind.SUM, "三(七)3", "16人＋15人＋2人").status == Status.OK
    assert _find(findings, Kind.SUM, "三(十)2", "10人＋2人").status == Status.OK
    # 三项每年需投入资金64.95万元 and 三年194.85万元
    assert _find(findings, Kind.SUM, "三(九)", "33.75万元＋1.2万元＋30万元").status == Status.OK
    # 16万元 × 20% is 3.2万元, not the 1.6万元 the plan writes
    assert _find(findings, Kind.PRODUCT, "三(二)", "16万元×20%").status == Status.MISMATCH
    # the two relocation works counted under two programmes
    overlaps = [f for f in findings if f.kind == Kind.OVERLAP]
    assert {(f.left.place, f.right.place) for f in overlaps} == {
        ("三(一)2", "三(八)1"),
        ("三(一)3", "三(八)21"),
    }
    # the ten programmes of 二(三) are not the ten of 三
    lists = [f for f in findings if f.kind == Kind.LIST and f.status == Status.MISMATCH]
    assert any("饮水安全、资金保障、感恩教育" in f.note for f in lists)


def test_plan_commands_print_json(seed, capsys):
    call_command("plan", "summary", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["grand_total"]["declared_wan"] == "15847.00"
    assert len(summary["programmes"]) == 10
    call_command("plan", "audit", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["counts"]["mismatch"] == sum(1 for f in payload["findings"] if f["status"] == "mismatch")
    first = payload["findings"][0]
    assert {"kind", "status", "left", "right", "difference"} <= set(first)
    assert {"value", "text", "place", "quote"} <= set(first["left"])


def _small_plan(**project) -> dict:
    row = {
        "key": "1",
        "programme": "roads",
        "name": "路",
        "years": [2018, 2018],
        "investment": "10",
        "quote": "路",
    }
    row.update(project)
    return {
        "plan": {"version": "t-1", "title": "测试规划", "period": [2018, 2020]},
        "programmes": [{"code": "roads", "name": "道路工程"}],
        "projects": [row],
        "figures": [{"key": "t", "ref": "一", "value": "10", "unit": "万元", "quote": "10万元"}],
    }


@pytest.mark.parametrize(
    ("project", "message"),
    [
        ({"investment": "十万"}, "项目1：“十万”不是有效数字"),
        ({"programme": "bridges"}, "项目1：未知的工程“bridges”"),
        ({"quote": None, "years": None}, None),
    ],
)
def test_a_bad_plan_file_is_refused_by_the_command_and_nothing_is_written(db, tmp_path, project, message):
    data = _small_plan(**{k: v for k, v in project.items() if v is not None})
    for key in [k for k, v in project.items() if v is None]:
        del data["projects"][0][key]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("plan", "load", "--file", str(path))
    assert str(excinfo.value).startswith("载入失败：")
    assert (message or "项目第1条（1）缺少字段：years、quote") in str(excinfo.value)
    assert not Plan.objects.exists()


def test_a_good_small_plan_file_loads_and_audits(db, tmp_path, capsys):
    path = tmp_path / "plan.json"
    data = _small_plan()
    data["figures"][0]["programme_total"] = "roads"
    data["figures"][0]["value"] = "12"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("plan", "load", "--file", str(path))
    assert "1个项目" in capsys.readouterr().out
    call_command("plan", "audit", "--json", "--plan", "t-1")
    payload = json.loads(capsys.readouterr().out)
    (finding,) = payload["findings"]
    assert (finding["status"], finding["left"]["text"], finding["difference_text"]) == (
        "mismatch",
        "12万元",
        "2万元",
    )
