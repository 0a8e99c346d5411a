"""The plan audit on hand-made plans (no database): sums, products, ratios, bounds, repeats, lists."""

from decimal import Decimal

import pytest

from tuopin.projects.audit import Figure, Kind, PlanInput, Programme, Project, Status, audit, normalize, plain

D = Decimal


def fig(key, value, unit, ref="一", **extra) -> Figure:
    return Figure(
        key=key, ref=ref, quote=f"{key}{value}{unit}", stated_value=D(value), stated_unit=unit, **extra
    )


def plan(*figures, projects=(), checks=(), programmes=()) -> PlanInput:
    return PlanInput(
        programmes=list(programmes) or [Programme("roads", "道路工程", "三(一)")],
        projects=list(projects),
        figures={f.key: f for f in figures},
        checks=list(checks),
    )


def only(findings, kind):
    chosen = [f for f in findings if f.kind == kind]
    assert len(chosen) == 1, chosen
    return chosen[0]


def test_normalize_converts_wan_and_yi_to_yuan_and_leaves_other_units():
    assert normalize(D("2.1"), "万元/户") == (D("21000.0"), "元/户")
    assert normalize(D("119.4"), "亿元") == (D("11940000000.0"), "元")
    assert normalize(D("2.651"), "万亩") == (D("2.651"), "万亩")
    assert plain(D("3189.90")) == "3189.9"
    assert plain(D("15847")) == "15847"


@pytest.mark.parametrize(
    ("total", "status"),
    [("100", Status.OK), ("101", Status.MISMATCH), ("100.4", Status.OK), ("100.40", Status.OK)],
)
def test_stated_parts_are_summed(total, status):
    findings = audit(
        plan(
            fig("t", total, "万元", parts={"分项": ["a", "b"]}),
            fig("a", "60", "万元"),
            fig("b", "40.4" if total.startswith("100.4") else "40", "万元"),
        )
    )
    finding = only(findings, Kind.SUM)
    assert finding.status == status
    assert finding.left.place == "一"


def test_a_sum_within_half_a_unit_of_the_last_written_digit_is_rounding():
    finding = only(
        audit(
            plan(
                fig("t", "1993", "万元", parts={"p": ["a", "b"]}),
                fig("a", "1000", "万元"),
                fig("b", "993.1", "万元"),
            )
        ),
        Kind.SUM,
    )
    assert finding.status == Status.ROUNDING
    assert finding.difference == D("-1000.0")  # yuan
    assert finding.difference_text == "-0.1万元"
    # one more tenth is no longer rounding
    finding = only(
        audit(
            plan(
                fig("t", "1993", "万元", parts={"p": ["a", "b"]}),
                fig("a", "1000", "万元"),
                fig("b", "993.6", "万元"),
            )
        ),
        Kind.SUM,
    )
    assert finding.status == Status.MISMATCH


def test_explicit_sum_with_a_subtracted_item_names_both_places():
    findings = audit(
        plan(
            fig("all", "2119", "户", ref="三(三)"),
            fig("city", "600", "户", ref="三(三)"),
            fig("rest", "1514", "户", ref="一(三)1"),
            checks=[
                {
                    "kind": "sum",
                    "label": "剩余",
                    "total": "rest",
                    "items": ["all", {"key": "city", "sign": -1}],
                }
            ],
        )
    )
    finding = only(findings, Kind.SUM)
    assert finding.status == Status.MISMATCH
    assert finding.left.value == 1514
    assert finding.right.value == 1519
    assert finding.left.place == "一(三)1"
    assert finding.right.place == "三(三)"
    assert "2119户−600户" in finding.right.text


def test_product_of_count_and_unit_cost_in_wan():
    checks = [{"kind": "product", "label": "x", "result": "amount", "factors": ["n", "cost"]}]
    good = audit(
        plan(
            fig("n", "1519", "户"),
            fig("cost", "2.1", "万元/户"),
            fig("amount", "3189.9", "万元"),
            checks=checks,
        )
    )
    assert only(good, Kind.PRODUCT).status == Status.OK
    bad = audit(
        plan(
            fig("n", "1519", "户"),
            fig("cost", "2.1", "万元/户"),
            fig("amount", "3179.4", "万元"),
            checks=checks,
        )
    )
    finding = only(bad, Kind.PRODUCT)
    assert finding.status == Status.MISMATCH
    assert finding.difference_text == "-10.5万元"


def test_product_with_a_constant_factor():
    checks = [
        {"kind": "product", "label": "x", "result": "r", "factors": ["a", {"const": "0.20", "label": "20%"}]}
    ]
    finding = only(audit(plan(fig("a", "16", "万元"), fig("r", "1.6", "万元"), checks=checks)), Kind.PRODUCT)
    assert finding.status == Status.MISMATCH
    assert finding.right.value == D("32000")


def test_project_quantity_times_unit_cost_against_investment():
    projects = [
        Project("p1", "roads", "危改", "三(三)1", D("31899000"), D("1519"), "户", D("21000"), "万元/户"),
        Project("p2", "roads", "危改", "三(三)2", D("31899000"), D("1500"), "户", D("21000"), "万元/户"),
    ]
    findings = [f for f in audit(plan(projects=projects)) if f.kind == Kind.PRODUCT]
    assert [f.status for f in findings] == [Status.OK, Status.MISMATCH]
    assert findings[1].right.text == "1500户×2.1万元/户＝3150万元"


def test_programme_total_against_its_projects_and_the_grand_total():
    projects = [
        Project("a", "roads", "路1", "三(一)1", D("1000000")),
        Project("b", "roads", "路2", "三(一)2", D("500000")),
    ]
    findings = audit(
        plan(
            fig("decl", "160", "万元", ref="四(一)1", programme_total="roads"),
            fig("grand", "150", "万元", ref="四(一)", grand_total=True),
            projects=projects,
        )
    )
    sums = [f for f in findings if f.kind == Kind.SUM]
    assert [f.status for f in sums] == [Status.MISMATCH, Status.OK]
    assert sums[0].difference_text == "10万元"
    assert sums[0].right.text == "2个项目合计150万元"


def test_repeated_figure_disagreeing_names_both_places_and_values():
    findings = audit(
        plan(
            fig("a", "214", "户", ref="一(二)1", measure="计划脱贫户数"),
            fig("b", "241", "户", ref="二(三)", measure="计划脱贫户数"),
            fig("c", "214", "户", ref="一(三)", measure="计划脱贫户数"),
        )
    )
    repeated = [f for f in findings if f.kind == Kind.REPEATED]
    assert [(f.left.place, f.right.place, f.status) for f in repeated] == [
        ("一(二)1", "二(三)", Status.MISMATCH),
        ("一(二)1", "一(三)", Status.OK),
    ]
    assert repeated[0].left.text == "214户"
    assert repeated[0].right.text == "241户"


def test_repeated_figure_with_different_units_is_a_mismatch():
    findings = audit(plan(fig("a", "251", "户", measure="m"), fig("b", "251", "人", measure="m")))
    finding = only(findings, Kind.REPEATED)
    assert finding.status == Status.MISMATCH
    assert "单位不同" in finding.note


def test_lists_compare_by_common_name():
    findings = audit(
        plan(
            fig("a", "3", "项", ref="二", measure="名单", items=("危房清零=危房改造", "饮水安全", "产业")),
            fig("b", "3", "项", ref="三", measure="名单", items=("危房改造", "产业", "易地搬迁")),
        )
    )
    finding = only(findings, Kind.LIST)
    assert finding.status == Status.MISMATCH
    assert finding.note == "仅见于二：饮水安全；仅见于三：易地搬迁"
    assert only(findings, Kind.REPEATED).status == Status.OK


def test_ratio_allows_a_truncated_last_digit():
    check = {
        "kind": "ratio",
        "label": "r",
        "result": "avg",
        "numerator": "people",
        "denominator": "households",
    }
    ok = audit(
        plan(
            fig("avg", "1.03", "人/户"),
            fig("people", "3769", "人"),
            fig("households", "3629", "户"),
            checks=[check],
        )
    )
    assert only(ok, Kind.RATIO).status == Status.ROUNDING
    bad = audit(
        plan(
            fig("avg", "1.37", "人/户"),
            fig("people", "3769", "人"),
            fig("households", "3629", "户"),
            checks=[check],
        )
    )
    assert only(bad, Kind.RATIO).status == Status.MISMATCH


def test_bound_smaller_must_not_exceed_larger():
    check = {"kind": "bound", "label": "b", "smaller": "part", "larger": "whole"}
    assert (
        only(audit(plan(fig("part", "3", "个"), fig("whole", "3", "个"), checks=[check])), Kind.BOUND).status
        == Status.OK
    )
    assert only(
        audit(plan(fig("part", "21", "个"), fig("whole", "3", "个"), checks=[check])), Kind.BOUND
    ).status == (Status.MISMATCH)


def test_the_same_work_in_two_programmes_is_reported_as_counted_twice():
    projects = [
        Project("三(一)2", "relocation", "安置点配套", "三(一)2", D("1410000"), same_as="三(八)1"),
        Project("三(八)1", "village", "安置点道路水池", "三(八)1", D("1410000")),
    ]
    finding = only(audit(plan(projects=projects)), Kind.OVERLAP)
    assert finding.status == Status.WARNING
    assert (finding.left.place, finding.right.place) == ("三(一)2", "三(八)1")
    assert "重复计算141万元" in finding.note


def test_unknown_check_kind_is_refused():
    with pytest.raises(ValueError, match="未知的核对类型"):
        audit(plan(checks=[{"kind": "mystery"}]))


@pytest.mark.parametrize(
    ("item", "status"),
    [
        ("993", Status.OK),
        ("993.5", Status.ROUNDING),  # exactly half a unit of the last written digit
        ("992.5", Status.ROUNDING),
        ("993.51", Status.MISMATCH),  # one hundredth beyond the line
        ("992.49", Status.MISMATCH),
    ],
)
def test_rounding_boundary(item, status):
    findings = audit(
        plan(
            fig("t", "1993", "万元", parts={"p": ["a", "b"]}),
            fig("a", "1000", "万元"),
            fig("b", item, "万元"),
        )
    )
    assert only(findings, Kind.SUM).status == status
