"""Project edits within jurisdiction, the status workflow, beneficiary households and target actuals."""

from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.projects.models import Project, ProjectStatus, Target, TargetActual
from tuopin.projects.selectors import project_list, projects_for
from tuopin.projects.services import (
    ProjectData,
    project_create,
    project_households_set,
    project_status_change,
    project_update,
    projects_load_seed_plan,
    target_actual_record,
)

from .conftest import make_household, region

pytestmark = pytest.mark.django_db


def data_for(project: Project, **changes) -> ProjectData:
    fields = {name: getattr(project, name) for name in ProjectData.__dataclass_fields__}
    fields.update(changes)
    return ProjectData(**fields)


# --- jurisdiction --------------------------------------------------------------------------------------


def test_a_township_user_sees_only_their_township_projects(seed, xiaojie_user, niulanjiang_user, county_user):
    xiaojie = set(projects_for(xiaojie_user).values_list("seed_key", flat=True))
    assert "三(八)5" in xiaojie  # 匡郎村内道路
    assert "三(八)18" not in xiaojie  # 荒田大麦地 (牛栏江镇)
    assert "三(三)1" not in xiaojie  # county-level
    assert all(p.region.path.startswith(region("小街镇").path) for p in projects_for(xiaojie_user))
    niulanjiang = set(projects_for(niulanjiang_user).values_list("seed_key", flat=True))
    assert not xiaojie & niulanjiang
    assert projects_for(county_user).count() == 47


def test_a_village_user_sees_only_their_village_projects(seed, huangtian_user):
    keys = set(project_list(user=huangtian_user).values_list("seed_key", flat=True))
    assert keys == {
        "三(一)3",
        "三(八)18",
        "三(八)19",
        "三(八)21",
        "三(八)22",
        "三(八)25",
        "三(八)27",
        "三(八)28",
        "三(八)29",
    }


def test_a_township_user_edits_their_township_projects_only(seed, xiaojie_user):
    own = Project.objects.get(seed_key="三(八)5")
    updated = project_update(
        project=own, data=data_for(own, investment=Decimal("390000")), by=xiaojie_user, version=own.version
    )
    assert updated.investment == Decimal("390000")
    record = updated.history.first()
    assert record.history_user == xiaojie_user
    assert record.history_change_reason == "修改项目"

    other = Project.objects.get(seed_key="三(八)18")
    before = other.investment
    with pytest.raises(PermissionDeniedError, match="无权编辑"):
        project_update(
            project=other, data=data_for(other, investment=Decimal(1)), by=xiaojie_user, version=other.version
        )
    other.refresh_from_db()
    assert other.investment == before

    # nor may they move their own project into another township
    with pytest.raises(PermissionDeniedError):
        project_update(
            project=own,
            data=data_for(own, region=region("荒田村委会")),
            by=xiaojie_user,
            version=own.version + 1,
        )


def test_a_township_user_cannot_create_a_project_elsewhere(seed, xiaojie_user):
    programme = Project.objects.get(seed_key="三(八)5").programme
    data = ProjectData(
        programme=programme,
        name="新路",
        region=region("大箐村委会"),
        year_from=2019,
        year_to=2019,
        investment=Decimal(1),
    )
    with pytest.raises(PermissionDeniedError):
        project_create(data=data, by=xiaojie_user)
    assert not Project.objects.filter(name="新路").exists()


def test_inspectors_and_village_users_cannot_edit(seed, inspector, huangtian_user):
    project = Project.objects.get(seed_key="三(八)18")
    for user in (inspector, huangtian_user):
        with pytest.raises(PermissionDeniedError):
            project_status_change(project=project, status=ProjectStatus.APPROVED, by=user)


def test_invalid_project_data_is_refused_with_the_field(seed, county_user):
    programme = Project.objects.get(seed_key="三(八)5").programme
    data = ProjectData(
        programme=programme,
        name="路",
        region=region("匡郎村委会"),
        year_from=2020,
        year_to=2019,
        investment=Decimal(-1),
    )
    with pytest.raises(ApplicationError) as excinfo:
        project_create(data=data, by=county_user)
    assert set(excinfo.value.errors) == {"year_to", "investment"}
    assert not Project.objects.filter(name="路").exists()


# --- status workflow -----------------------------------------------------------------------------------


def test_status_follows_the_workflow_and_leaves_history(seed, county_user):
    project = Project.objects.get(seed_key="三(八)9")
    project = project_status_change(project=project, status=ProjectStatus.APPROVED, by=county_user)
    project = project_status_change(project=project, status=ProjectStatus.UNDER_CONSTRUCTION, by=county_user)
    assert project.history.first().history_change_reason == "变更项目状态"
    with pytest.raises(ApplicationError, match="不能从“在建”改为“已验收”"):
        project_status_change(project=project, status=ProjectStatus.ACCEPTED, by=county_user)
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION


# --- beneficiaries -------------------------------------------------------------------------------------


def test_linking_households_is_limited_to_the_users_jurisdiction(seed, niulanjiang_user):
    project = Project.objects.get(seed_key="三(八)18")
    own = make_household(region("荒田村委会"))
    foreign = make_household(region("匡郎村委会"))
    with pytest.raises(ApplicationError, match="不在您的辖区"):
        project_households_set(project=project, household_ids=[own.pk, foreign.pk], by=niulanjiang_user)
    assert project.households.count() == 0
    project_households_set(project=project, household_ids=[own.pk], by=niulanjiang_user)
    project.refresh_from_db()
    assert list(project.households.all()) == [own]
    assert project.beneficiary_households == 1


# --- targets -------------------------------------------------------------------------------------------


def test_target_actuals_are_recorded_per_township_and_year(seed, xiaojie_user, niulanjiang_user):
    target = Target.objects.get(figure__key="三(七)2:就业培训")
    actual = target_actual_record(
        target=target, region=region("小街镇"), year=2018, value=Decimal(12), by=xiaojie_user
    )
    assert actual.history.count() == 1
    target_actual_record(
        target=target, region=region("小街镇"), year=2018, value=Decimal(14), by=xiaojie_user
    )
    assert TargetActual.objects.get(pk=actual.pk).value == 14
    with pytest.raises(PermissionDeniedError):
        target_actual_record(
            target=target, region=region("小街镇"), year=2018, value=Decimal(1), by=niulanjiang_user
        )
    with pytest.raises(ApplicationError, match="年度应在2018—2020之间"):
        target_actual_record(
            target=target, region=region("小街镇"), year=2021, value=Decimal(1), by=xiaojie_user
        )
    assert TargetActual.objects.get(pk=actual.pk).value == 14


def test_a_county_user_edits_a_project_outside_the_region_tree(db, county_user):
    result = projects_load_seed_plan(
        by=console_actor()
    )  # the tree fixture exists for county_user; unplace one project by hand
    project = Project.objects.get(seed_key="三(八)6")
    Project.objects.filter(pk=project.pk).update(region=None)
    project.refresh_from_db()
    updated = project_status_change(project=project, status=ProjectStatus.APPROVED, by=county_user)
    assert updated.status == ProjectStatus.APPROVED
    assert result.unplaced == ()
