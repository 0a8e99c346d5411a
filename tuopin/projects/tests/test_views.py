"""Pages: happy path, validation errors, jurisdiction refusals, the 公示 page and the xlsx export."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tuopin.assessment.services import assessment_run
from tuopin.core.money import yuan_to_wan
from tuopin.projects.models import Channel, CostItem, EntryKind, FundEntry, Project, TargetActual
from tuopin.projects.services import fund_entry_add, project_households_set
from tuopin.registry.models import PovertyStatus

from .conftest import make_household, region

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_project_library_lists_and_filters(client, seed, county_user):
    login(client, county_user)
    page = client.get(reverse("projects:list")).content.decode()
    assert "共 47 个项目，总投资 15,375.17 万元" in page
    programme = Project.objects.get(seed_key="三(八)1").programme
    filtered = client.get(reverse("projects:list"), {"programme": programme.pk}, HTTP_HX_REQUEST="true")
    text = filtered.content.decode()
    assert "共 29 个项目，总投资 2,597.50 万元" in text
    assert "<html" not in text  # the HTMX partial only
    by_place = client.get(reverse("projects:list"), {"region": region("荒田村委会").pk}).content.decode()
    assert "共 9 个项目" in by_place


def test_township_user_sees_only_own_projects_and_gets_404_elsewhere(client, seed, xiaojie_user):
    login(client, xiaojie_user)
    page = client.get(reverse("projects:list")).content.decode()
    assert "匡郎村内道路硬化" in page
    assert "荒田大麦地进村道路硬化" not in page
    other = Project.objects.get(seed_key="三(八)18")
    assert client.get(reverse("projects:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("projects:edit", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("projects:entry", args=[other.pk]),
        {"kind": "allocation", "channel": "special", "amount": "10"},
    )
    assert response.status_code == 404
    assert not FundEntry.objects.exists()
    assert client.get(reverse("projects:publicity", args=[region("荒田村委会").pk])).status_code == 404
    assert client.get(reverse("projects:roadmap", args=[region("牛栏江镇").pk])).status_code == 404


def test_edit_project_with_validation_error_then_success(client, seed, xiaojie_user):
    login(client, xiaojie_user)
    project = Project.objects.get(seed_key="三(八)5")
    url = reverse("projects:edit", args=[project.pk])
    form = {
        "programme": project.programme_id,
        "name": project.name,
        "region": project.region_id,
        "year_from": 2019,
        "year_to": 2018,
        "investment_wan": "40",
        "version": project.version,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "完成年度不能早于起始年度" in response.content.decode()
    project.refresh_from_db()
    assert project.investment == Decimal("380000")
    form["year_to"] = 2019
    response = client.post(url, form)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.investment, project.year_from) == (Decimal("400000"), 2019)
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "总投资：38 → 40" not in detail  # history shows fields by label
    assert "总投资（元）：380000.00 → 400000.00" in detail


def test_ledger_through_the_page_refuses_overspending_and_reverses(client, seed, niulanjiang_user):
    login(client, niulanjiang_user)
    project = Project.objects.get(seed_key="三(八)18")
    url = reverse("projects:entry", args=[project.pk])
    assert client.post(url, {"kind": "allocation", "channel": "special", "amount": "1000"}).status_code == 302
    response = client.post(url, {"kind": "disbursement", "channel": "special", "amount": "1500"})
    assert response.status_code == 400
    assert "超过该项目专项扶贫资金可用余额1,000.00元" in response.content.decode()
    assert FundEntry.objects.count() == 1
    assert (
        client.post(url, {"kind": "disbursement", "channel": "special", "amount": "300"}).status_code == 302
    )
    entry = FundEntry.objects.get(kind="disbursement")
    response = client.post(
        reverse("projects:reverse", args=[project.pk]), {"entry": entry.pk, "reason": "金额有误"}
    )
    assert response.status_code == 302
    assert FundEntry.objects.count() == 3
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "已冲销" in page
    assert "1,000.00" in page


def test_publicity_page_lists_the_village_projects_and_funds(client, seed, county_user):
    project = Project.objects.get(seed_key="三(八)18")
    fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.ALLOCATION,
        amount=Decimal(2_400_000),
        by=county_user,
    )
    fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.DISBURSEMENT,
        amount=Decimal(1_000_000),
        by=county_user,
    )
    login(client, county_user)
    page = client.get(reverse("projects:publicity", args=[region("荒田村委会").pk])).content.decode()
    assert "荒田村委会扶贫项目及资金公示" in page
    assert "荒田大麦地进村道路硬化" in page
    assert "大箐蛤蟆山" not in page
    assert 'id="total-allocated">2,400,000.00' in page
    assert 'id="total-disbursed">1,000,000.00' in page
    assert "data-print" in page


def test_budget_page_reproduces_the_investment_table(client, seed, county_user):
    login(client, county_user)
    page = client.get(reverse("projects:budget")).content.decode()
    assert 'id="grand-computed">15,375.17' in page
    assert 'id="grand-declared">15,847.00' in page
    assert "3,069.50" in page
    assert "2,597.50" in page
    assert "重复计列" in page


def test_audit_page_filters_findings(client, seed, inspector):
    login(client, inspector)
    page = client.get(reverse("projects:audit"), {"status": "mismatch"}).content.decode()
    assert "241户" in page
    assert 'class="finding ok"' not in page
    assert 'class="finding mismatch"' in page
    assert "四(一)4" in page
    paged = client.get(reverse("projects:audit"), {"size": 20, "page": 2}).content.decode()
    assert paged.count('<tr class="finding ') == 20
    assert 'aria-current="page">2<' in paged


def test_construction_plan_shows_public_projects_and_household_measures(
    client, seed, huangtian_user, county_user
):
    household = make_household(region("荒田村委会"), house_grade="D")
    foreign = make_household(region("大箐村委会"))
    project = Project.objects.get(seed_key="三(二)8")  # 牛栏江 traditional crops, township level
    project_households_set(project=project, household_ids=[household.pk, foreign.pk], by=county_user)
    login(client, huangtian_user)
    page = client.get(reverse("projects:construction", args=[region("荒田村委会").pk])).content.decode()
    assert "荒田大麦地进村道路硬化" in page
    assert household.household_no in page
    assert "危房（D级）" in page
    assert foreign.household_no not in page
    assert client.get(reverse("projects:construction", args=[region("大箐村委会").pk])).status_code == 404


def test_targets_page_computes_from_the_registry_within_scope_and_records(client, seed, county, xiaojie_user):
    make_household(
        region("匡郎村委会"), members=[{"is_dibao": True}, {"is_dibao": True, "relation": "spouse"}]
    )
    make_household(region("荒田村委会"), members=[{"is_dibao": True}])
    login(client, xiaojie_user)
    page = client.get(reverse("projects:targets"), {"year": 2018}).content.decode()
    row = page.split('data-target="三(十)1:低保"')[1].split("</tr>")[0]
    assert '<td class="num actual">2人</td>' in row  # 小街镇 sees its own two, not 荒田's
    assert '<td class="num rate">—</td>' in row  # a county-wide 292 is not compared with one township
    employed = page.split('data-target="三(七)1:稳定转移就业"')[1].split("</tr>")[0]
    assert '<td class="num">37人</td>' in employed  # the township's part of 325
    target = seed.plan.targets.get(figure__key="三(七)2:就业培训")
    response = client.post(
        reverse("projects:targets") + "?year=2018",
        {"target": target.pk, "region": region("小街镇").pk, "year": 2018, "value": "15"},
    )
    assert response.status_code == 302
    assert TargetActual.objects.get(target=target).value == 15
    response = client.post(
        reverse("projects:targets"),
        {"target": target.pk, "region": region("牛栏江镇").pk, "year": 2018, "value": "1"},
    )
    assert response.status_code == 400  # 牛栏江镇 is not in the choices of a 小街镇 user
    assert TargetActual.objects.count() == 1


def test_xlsx_export_reproduces_the_seed_tables(client, seed, county_user, tmp_path):
    login(client, county_user)
    response = client.get(reverse("projects:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert {"投资规模", "项目清单", "贫困村脱贫振兴工程", "目标任务", "规划核对"} <= set(wb.sheetnames)
    rows = list(wb["投资规模"].iter_rows(min_row=3, values_only=True))
    village = next(r for r in rows if r[1] == "贫困村脱贫振兴工程")
    assert (village[3], village[4], village[6]) == (2597.5, 3069.5, 472)
    assert rows[-1][1:5] == ("合计", 47, 15375.17, 15847)
    listing = list(wb["产业扶贫工程"].iter_rows(min_row=3, values_only=True))
    assert listing[-1][10] == 640.12
    assert listing[0][1] == "三(二)1"
    # the management command writes the same workbook
    out = tmp_path / "plan.xlsx"
    call_command("plan", "export", "--output", str(out))
    listed = load_workbook(out)["项目清单"]
    assert listed.max_row == 2 + 47 + 1  # heading, header, the projects, their total
    assert listed.cell(row=listed.max_row, column=11).value == 15375.17
    assert listed.cell(row=3, column=11).number_format == "#,##0.00"


def test_the_list_export_holds_exactly_the_filtered_rows_in_the_shown_order(client, seed, niulanjiang_user):
    login(client, niulanjiang_user)
    query = {"q": "荒田", "sort": "-investment"}
    page = client.get(reverse("projects:list"), query).content.decode()
    link = page.split('id="export-filtered" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "q=" in link
    response = client.get(link)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content))["项目清单"].iter_rows(min_row=3, values_only=True))
    shown = Project.objects.filter(name__contains="荒田", region__path__startswith=region("牛栏江镇").path)
    expected = list(shown.order_by("-investment", "-id").values_list("name", flat=True))
    assert [r[2] for r in rows[:-1]] == expected
    assert expected  # the filter matches something
    assert rows[-1][2] == "合计"
    assert rows[-1][10] == float(yuan_to_wan(sum(p.investment for p in shown)))


def test_cost_table_edit_is_for_county_users(client, seed, county_user, xiaojie_user):
    item = CostItem.objects.get(code="house_renovation")
    login(client, xiaojie_user)
    assert client.post(reverse("projects:costs"), {"item": item.pk, "unit_cost": "1"}).status_code == 400
    item.refresh_from_db()
    assert item.unit_cost == Decimal("21000")
    login(client, county_user)
    assert client.post(reverse("projects:costs"), {"item": item.pk, "unit_cost": "-5"}).status_code == 400
    assert client.post(reverse("projects:costs"), {"item": item.pk, "unit_cost": "25000"}).status_code == 302
    item.refresh_from_db()
    assert item.unit_cost == Decimal("25000")


def test_needs_page_prices_failing_households(client, seed, county_user):
    make_household(region("荒田村委会"), house_grade="D", members=[{}, {"relation": "spouse"}])
    make_household(region("匡郎村委会"), house_grade="C")
    make_household(region("匡郎村委会"), house_grade="C", status=PovertyStatus.EXITED)  # exited: not a need
    assessment_run(year=2018, by=county_user)
    login(client, county_user)
    page = client.get(reverse("projects:needs")).content.decode()
    assert 'id="need-total">4.20<' in page
    assert "退出评估结果" in page


def test_linking_beneficiary_households_by_number(client, seed, niulanjiang_user):
    own = make_household(region("荒田村委会"))
    foreign = make_household(region("匡郎村委会"))
    project = Project.objects.get(seed_key="三(二)8")  # 牛栏江 traditional crops
    login(client, niulanjiang_user)
    url = reverse("projects:households", args=[project.pk])
    response = client.post(url, {"household_numbers": f"{own.household_no}，{foreign.household_no}"})
    assert response.status_code == 400
    assert f"不存在或不在您的辖区内：{foreign.household_no}" in response.content.decode()
    assert project.households.count() == 0
    assert client.post(url, {"household_numbers": own.household_no}).status_code == 302
    assert list(project.households.all()) == [own]
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "受益农户（1户）" in page


def test_roadmap_shows_the_township_projects_targets_and_exit_plan(client, seed, xiaojie_user):
    make_household(region("匡郎村委会"), planned_exit_year=2018, members=[{}, {"relation": "spouse"}])
    make_household(region("荒田村委会"), planned_exit_year=2018)  # another township
    login(client, xiaojie_user)
    page = client.get(reverse("projects:roadmap", args=[region("小街镇").pk])).content.decode()
    assert "匡郎村内道路硬化" in page
    assert "荒田" not in page.split('id="roadmap-exit-plan"')[0].split("<main>")[1]
    exit_rows = page.split('id="roadmap-exit-plan"')[1].split("</table>")[0]
    assert '<td>2018</td><td class="num">1</td><td class="num">2</td>' in exit_rows
    assert "目标37" not in page  # township target parts appear on the targets page, here as values
    assert "37人" in page  # 稳定转移就业 小街镇37人


def test_json_api_is_scoped_and_anonymous_calls_are_refused(client, seed, xiaojie_user, county_user):
    assert client.get("/api/projects/").status_code == 401
    login(client, xiaojie_user)
    data = client.get("/api/projects/").json()
    keys = {row["seed_key"] for row in data["results"]}
    assert "三(八)5" in keys
    assert "三(八)18" not in keys
    assert data["count"] == len(keys) == 16
    # the county plan's totals and audit are county-wide figures: not for a township user
    assert client.get("/api/projects/plan/summary/").status_code == 403
    assert client.get("/api/projects/plan/audit/").status_code == 403
    login(client, county_user)
    summary = client.get("/api/projects/plan/summary/").json()
    assert summary["grand_total"]["declared_wan"] == "15847.00"
    findings = client.get("/api/projects/plan/audit/").json()
    assert findings["counts"]["mismatch"] >= 20


def test_completion_rates_count_the_years_cohort_not_earlier_exits(client, seed, county_user):
    worker = {"work_status": "out_of_province"}
    make_household(region("匡郎村委会"), members=[worker])  # still to be lifted out: counted
    make_household(
        region("荒田村委会"), status=PovertyStatus.EXITED, exit_year=2018, members=[worker]
    )  # exits this year
    for _ in range(3):  # exited in 2016: not part of the 2018 targets
        make_household(region("大箐村委会"), status=PovertyStatus.EXITED, exit_year=2016, members=[worker])
    login(client, county_user)
    page = client.get(reverse("projects:targets"), {"year": 2018}).content.decode()
    row = page.split('data-target="三(七)1(3):省外"')[1].split("</tr>")[0]
    assert '<td class="num actual">2人</td>' in row
    assert '<td class="num rate">200.0%</td>' in row  # 2 of the 1 person stated in the plan


def test_the_project_library_sorts_by_investment_and_pages(client, seed, county_user):
    login(client, county_user)
    top = Project.objects.filter(programme__plan=seed.plan).order_by("-investment", "-id").first()
    page = client.get(reverse("projects:list"), {"sort": "-investment", "size": 20}).content.decode()
    rows = page.split('id="project-table"')[1].split("<tbody>")[1].split("</tr>")
    assert top.name in rows[0]
    assert "共 47 条，第 1 / 3 页" in page
    assert 'data-page="3"' in page
    last = client.get(
        reverse("projects:list"), {"sort": "-investment", "size": 20, "page": 3}
    ).content.decode()
    assert top.name not in last.split('id="project-table"')[1]
