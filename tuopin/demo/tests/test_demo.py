"""The demo county reproduces the seed's figures (嵩明县脱贫攻坚规划 2018)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.regions.models import Level, Region
from tuopin.registry.identity import check_id_number
from tuopin.registry.models import (
    NOT_EXITED_STATUSES,
    REGISTERED_STATUSES,
    Household,
    Person,
    PovertyStatus,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build the demo county once for this module inside a transaction that is rolled back afterwards
    (each test runs in a savepoint inside it, as in Django's TestCase.setUpTestData)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.django_db
def test_stats_json_equals_the_seed_figures():
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    expected = {
        "registered_households": 987,
        "registered_people": 3541,
        "exited_households": 740,
        "exited_people": 2812,
        "not_exited_households": 247,
        "not_exited_people": 729,
        "planned_exit_households": 214,
        "planned_exit_people": 666,
    }
    assert {key: figures[key] for key in expected} == expected


@pytest.mark.django_db
def test_region_tree_has_the_seeds_townships_villages_and_groups():
    townships = set(Region.objects.filter(level=Level.TOWNSHIP).values_list("name", flat=True))
    assert townships == {"嵩阳街道", "杨林镇", "小街镇", "牛栏江镇"}
    assert Region.objects.filter(level=Level.VILLAGE).count() == 75
    assert Region.objects.filter(level=Level.GROUP).count() == 446
    for name in [
        "黄栎山小组",
        "大火地",
        "大麦地",
        "茅草田村小组",
        "蛤蟆山",
        "马场地小组",
        "麦地冲小组",
        "干河菜子箐",
    ]:
        assert Region.objects.filter(name=name, level=Level.GROUP).exists(), name
    poor = dict(Region.objects.filter(is_poor_village=True).values_list("name", "poor_village_exit_year"))
    assert poor == {
        "东村居委会": 2016,
        "云林社区": 2016,
        "匡郎村委会": None,
        "荒田村委会": None,
        "大箐村委会": None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("village", "households", "people"),
    [("匡郎村委会", 11, 28), ("荒田村委会", 37, 97), ("大箐村委会", 23, 39)],
)
def test_unexited_poor_villages_hold_the_households_the_seed_states(village, households, people):
    qs = Household.objects.filter(village__name=village, status__in=NOT_EXITED_STATUSES)
    assert qs.count() == households
    assert Person.objects.filter(household__in=qs).count() == people


@pytest.mark.django_db
def test_relocation_sites_and_dibao_figures():
    relocated = (
        Household.objects.filter(is_relocated=True)
        .values("group__name")
        .annotate(h=Count("pk", distinct=True), p=Count("members"))
    )
    assert {row["group__name"]: (row["h"], row["p"]) for row in relocated} == {
        "干河菜子箐": (52, 193),
        "大火地": (20, 58),
    }
    assert Person.objects.filter(is_dibao=True, household__status__in=REGISTERED_STATUSES).count() == 386


@pytest.mark.django_db
def test_villages_with_registered_households_and_unregistered_population():
    assert Household.objects.registered().values("village").distinct().count() == 41
    unregistered = Household.objects.filter(status=PovertyStatus.UNREGISTERED)
    assert set(unregistered.values_list("village__name", flat=True)) == {
        "东村居委会",
        "云林社区",
        "匡郎村委会",
        "荒田村委会",
        "大箐村委会",
    }
    assert not Household.objects.filter(is_demo=False).exists()


@pytest.mark.django_db
def test_every_demo_id_is_valid_and_unique_and_households_well_formed():
    numbers = list(Person.objects.values_list("id_number", "birth_date", "sex"))
    assert len({n for n, _b, _s in numbers}) == len(numbers)
    for number, birth, sex in numbers[::37]:
        assert number is not None
        info = check_id_number(number)
        assert (info.birth_date, info.sex) == (birth, sex)
    heads = Household.objects.annotate(heads=Count("members", filter=Q(members__relation="head")))
    assert not heads.exclude(heads=1).exists()


@pytest.mark.django_db
def test_demo_accounts_for_every_role():
    roles = set(User.objects.exclude(password__startswith="!").values_list("role", flat=True))
    assert roles == {Role.ADMIN, Role.COUNTY, Role.TOWNSHIP, Role.VILLAGE, Role.CADRE, Role.INSPECTOR}
    cadre = User.objects.get(username="cadre")
    assert cadre.paired_households.count() == 3
    assert User.objects.filter(role=Role.CADRE).count() == 642


@pytest.mark.django_db
def test_every_registered_demo_household_has_a_procedure_record_and_the_status_rule_is_quiet():
    from tuopin.assessment.models import HouseholdResult
    from tuopin.assessment.selectors import dq_failures
    from tuopin.registry.models import ProcedureCase

    registered = Household.objects.registered()
    assert registered.count() == ProcedureCase.objects.filter(kind="legacy", status="migrated").count()
    assert not Household.objects.exclude(status=F("status_by_procedure")).exists()
    flagged = [
        r.household_id
        for r in HouseholdResult.objects.all().only("household_id", "flags")
        if "dq_status_by_procedure" in dq_failures(r.flags)
    ]
    assert flagged == []


def test_demo_on_a_never_migrated_database_migrates_first(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith("TUOPIN_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        TUOPIN_VAR_DIR=str(tmp_path / "fresh"),
        TUOPIN_SECRET_KEY="demo-test-key-" + "x" * 40,
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv=['tuopin','demo']; from tuopin.cli import main; main()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "正在执行迁移" in done.stdout
    assert "演示数据已生成" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.django_db
def test_years_2018_to_2026_keep_2018_as_registered():
    from tuopin.registry.models import HouseholdYear

    assert sorted(set(HouseholdYear.objects.values_list("year", flat=True))) == list(range(2018, 2027))
    assert not HouseholdYear.objects.filter(is_demo=False).exists()
    for h in Household.objects.order_by("pk")[:50]:
        first = h.years.get(year=2018)
        assert first.net_income == h.net_income
        assert first.house_grade == h.house_grade


@pytest.mark.django_db
def test_assessing_2018_again_gives_the_stored_results():
    from tuopin.assessment.models import AssessmentRun, HouseholdResult
    from tuopin.assessment.services import assessment_run

    stored = AssessmentRun.objects.filter(year=2018).order_by("pk").first()
    assert stored is not None
    again = assessment_run(year=2018, by=console_actor())
    assert {k: v for k, v in again.summary.items() if k != "timings"} == {
        k: v for k, v in stored.summary.items() if k != "timings"
    }
    before = dict(HouseholdResult.objects.filter(run=stored).values_list("household_id", "outcomes"))
    after = dict(HouseholdResult.objects.filter(run=again).values_list("household_id", "outcomes"))
    assert before == after


@pytest.mark.django_db
def test_monitor_2026_prints_clues_objects_and_a_held_out_auc():
    out = StringIO()
    call_command("monitor", "--year", "2026", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["year"] == 2026
    assert result["households"] == Household.objects.count()
    assert result["clues_by_trigger"]["income_below_line"] > 0
    assert result["clues_by_trigger"]["department_report"] > 0
    assert sum(v["households"] for v in result["clues_by_village"].values()) == result["fired"]
    assert result["objects_by_category"]["脱贫不稳定户"] > 0
    assert result["cases_by_stage"]["风险已消除（县级批准）"] > 0
    assert 0.5 < result["risk_model"]["held_out_auc"] <= 1
