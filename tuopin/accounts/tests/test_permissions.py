"""Every role × every registered action × own area / other area (cadres: paired / unpaired household).

The table is the specification: a new action in ``accounts.permissions`` fails ``test_every_action_is_in_the_table``
until its row is written here."""

import pytest

from tuopin.accounts.models import Role
from tuopin.accounts.permissions import ACTIONS, console_actor, may
from tuopin.accounts.tests.factories import UserFactory
from tuopin.imports.models import ImportBatch
from tuopin.projects.models import Project
from tuopin.regions.tests.factories import county_tree
from tuopin.registry.tests.factories import HouseholdFactory

ROLES = ("county", "admin", "console", "township", "village", "cadre", "inspector", "inactive")

# action                              target     county admin console township village cadre inspector inactive
# Y/N for (own area, other area); for cadres: (paired household, unpaired household or another village)
TABLE = """
accounts.manage_users                 none       NN YY YY NN NN NN NN NN
accounts.view_access_log              none       NN YY YY NN NN NN NN NN
registry.view_household               household  YN YY YY YN YN YN YN NN
registry.create_household             village    YN YY YY YN YN NN NN NN
registry.edit_household               household  YN YY YY YN YN YN NN NN
registry.edit_member                  person     YN YY YY YN YN YN NN NN
imports.upload_batch                  none       YY YY YY YY YY NN NN NN
imports.commit_batch                  batch      YY YY YY YN YN NN NN NN
imports.view_all_batches              none       YY YY YY NN NN NN NN NN
imports.export_registry               none       YY YY YY YY YY YY YY NN
imports.load_department_list          none       YY YY YY NN NN NN NN NN
imports.accept_difference             person     YN YY YY YN YN YN NN NN
imports.view_unmatched_records        none       YY YY YY NN NN NN YY NN
imports.view_renovation_list          none       YY YY YY YY YY YY YY NN
assessment.run                        none       YY YY YY NN NN NN NN NN
assessment.run                        village    YN YY YY YN YN NN NN NN
assessment.what_if                    none       YY YY YY YY YY YY YY NN
assessment.view_county_indicators     none       YY YY YY NN NN NN YY NN
assessment.exit_propose               household  YN YY YY YN YN NN NN NN
assessment.exit_review                household  YN YY YY YN YN NN NN NN
assessment.exit_notice                household  YN YY YY YN YN NN NN NN
assessment.exit_township_check        household  YN YY YY YN NN NN NN NN
assessment.exit_county_approve        household  YN YY YY NN NN NN NN NN
assessment.exit_announce              household  YN YY YY NN NN NN NN NN
assessment.exit_withdraw              household  YN YY YY YN YN NN NN NN
assessment.exit_relapse               household  YN YY YY YN YN NN NN NN
assessment.record_village_year        village    YN YY YY YN NN NN NN NN
assessment.record_sampling_check      village    YN YY YY YN NN NN NN NN
assessment.record_satisfaction_survey village    YN YY YY YN NN NN NN NN
policy.set_standard                   none       YY YY YY NN NN NN NN NN
projects.create_project               village    YN YY YY YN NN NN NN NN
projects.create_project               none       YY YY YY NN NN NN NN NN
projects.edit_project                 project    YN YY YY YN NN NN NN NN
projects.edit_project                 none       YY YY YY NN NN NN NN NN
projects.change_status                project    YN YY YY YN NN NN NN NN
projects.link_households              project    YN YY YY YN NN NN NN NN
projects.record_fund_entry            project    YN YY YY YN NN NN NN NN
projects.record_target_actual         township   YN YY YY YN NN NN NN NN
projects.view_county_targets          none       YY YY YY NN NN NN YY NN
projects.edit_cost_table              none       YY YY YY NN NN NN NN NN
projects.load_plan                    none       YY YY YY NN NN NN NN NN
projects.view_plan_audit              none       YY YY YY NN NN NN YY NN
registry.procedure_propose            household  YN YY YY YN YN NN NN NN
registry.procedure_township_check     household  NN NN NN YN NN NN NN NN
registry.procedure_county_approve     household  YN YY YY NN NN NN NN NN
registry.change_members               household  YN YY YY YN YN YN NN NN
registry.import_status                none       YY YY YY NN NN NN NN NN
registry.view_full_identity           household  YN YY YY YN YN YN NN NN
registry.export_personal_data         none       YY YY YY YY YY NN NN NN
accounts.change_account               account    NN YN YN NN NN NN NN NN
assistance.view_structure             none       YY YY YY YY YY NN YY NN
assistance.manage_pairings            household  YY YY YY YN YN NN NN NN
assistance.manage_structure           none       YY YY YY NN NN NN NN NN
assistance.record_visit               household  NN NN NN NN NN YN NN NN
assistance.view_visits                household  YN YY YY YN YN YN YN NN
assistance.manage_measures            household  YN YY YY YN YN YN NN NN
assistance.view_own_households        none       NN NN NN NN NN YY NN NN
assistance.be_paired_cadre            none       NN NN NN NN NN YY NN NN
assistance.record_presence            village    YY YY YY YN NN NN NN NN
assistance.record_unit_report         none       YY YY YY NN NN NN NN NN
supervision.view_problems             village    YY YY YY YN YN NN YY NN
supervision.view_problems             none       YY YY YY YY YY NN YY NN
supervision.record_problem            none       YY YY YY NN NN NN YY NN
supervision.rectify_problem           village    YY YY YY YN YN NN NN NN
supervision.review_problem            none       YY YY YY NN NN NN YY NN
supervision.view_report               none       YY YY YY NN NN NN YY NN
reports.print_household_file          household  YN YY YY YN YN YN YN NN
reports.print_full_id_number          household  YN YY YY YN YN NN NN NN
reports.print_exit_notice             village    YN YY YY YN YN NN YN NN
reports.view_mpi                      none       YY YY YY YY YY NN YY NN
monitoring.view_case                  household  YN YY YY YN YN YN YN NN
monitoring.raise_clue                 household  YN YY YY YN YN YN NN NN
monitoring.verify_case                household  YN YY YY YN YN NN NN NN
monitoring.check_case                 household  YN YY YY YN NN NN NN NN
monitoring.decide_case                household  YN YY YY NN NN NN NN NN
monitoring.record_measure             household  YN YY YY YN YN YN NN NN
monitoring.run_triggers               none       YY YY YY NN NN NN NN NN
monitoring.record_department_report   none       YY YY YY NN NN NN NN NN
monitoring.print_notice               village    YN YY YY YN YN NN NN NN
monitoring.view_lists                 village    YN YY YY YN YN NN YN NN
reports.export_standard               none       YY YY YY YY YY NN YY NN
"""


def _rows():
    for line in TABLE.strip().splitlines():
        name, kind, *cells = line.split()
        assert len(cells) == len(ROLES), line
        for role, cell in zip(ROLES, cells, strict=True):
            yield name, kind, role, cell[0] == "Y", cell[1] == "Y"


ROWS = list(_rows())


@pytest.fixture
def world(db):
    """Two counties; every role in the first; households in each place the table distinguishes."""
    home, away = county_tree("本县"), county_tree("外县")
    v11, v12, v21, _ = home["villages"]
    t1 = home["townships"][0]
    users = {
        "county": UserFactory(username="t_county", role=Role.COUNTY, region=home["county"]),
        "admin": UserFactory(username="t_admin", role=Role.ADMIN, region=None),
        "console": console_actor(),
        "township": UserFactory(username="t_township", role=Role.TOWNSHIP, region=t1),
        "village": UserFactory(username="t_village", role=Role.VILLAGE, region=v11),
        "cadre": UserFactory(username="t_cadre", role=Role.CADRE, region=v11),
        "inspector": UserFactory(username="t_inspector", role=Role.INSPECTOR, region=home["county"]),
        "inactive": UserFactory(username="t_inactive", role=Role.VILLAGE, region=v11, is_active=False),
    }
    paired = HouseholdFactory(village=v11, responsible_cadre=users["cadre"])
    unpaired = HouseholdFactory(village=v11)
    in_v12 = HouseholdFactory(village=v12)
    in_t2 = HouseholdFactory(village=v21)
    abroad = HouseholdFactory(village=away["villages"][0])
    other = {
        "county": abroad,
        "admin": abroad,
        "console": abroad,
        "township": in_t2,
        "village": in_v12,
        "cadre": unpaired,
        "inspector": abroad,
        "inactive": in_v12,
    }
    # region targets: a cadre's "other" is another village (the unpaired household shares the cadre's)
    other_region = {**other, "cadre": in_v12}
    stranger = UserFactory(username="t_stranger", role=Role.VILLAGE, region=v12)
    return {"users": users, "own": paired, "other": other, "other_region": other_region, "stranger": stranger}


def _target(world, role: str, kind: str, own: bool):
    household = world["own"] if own else world["other"][role]
    place = world["own"] if own else world["other_region"][role]
    if kind == "none":
        return None
    if kind == "household":
        return household
    if kind == "person":
        return household.members.order_by("pk").first()
    if kind == "village":
        return place.village
    if kind == "township":
        return place.village.parent
    if kind == "project":
        return Project(name="测试项目", region=place.village)
    if kind == "account":  # own: a person's account; other: the console actor, which nobody edits
        return world["stranger"] if own else console_actor()
    if kind == "batch":
        uploader = world["users"][role] if own else world["stranger"]
        return ImportBatch.objects.create(file_name="a.xlsx", sha256="0" * 64, uploaded_by=uploader)
    raise AssertionError(kind)


@pytest.mark.parametrize("role", ROLES)
def test_role_action_area(world, role):
    """One role against every row of the table (one world per role keeps the suite fast); every
    disagreement is listed."""
    user = world["users"][role]
    wrong = []
    for name, kind, row_role, own_allowed, other_allowed in ROWS:
        if row_role != role:
            continue
        for own, expected in ((True, own_allowed), (False, other_allowed)):
            if may(user, name, _target(world, role, kind, own=own)) is not expected:
                wrong.append(
                    f"{name} {kind} {'own' if own else 'other'}: expected {'Y' if expected else 'N'}"
                )
    assert wrong == []


def test_every_action_is_in_the_table():
    in_table = {name for name, *_ in ROWS}
    assert set(ACTIONS) - in_table == set(), "add a row to TABLE for each new action"
    assert in_table - set(ACTIONS) == set(), "the table names an action that is not registered"


def test_unknown_action_is_an_error(world):
    with pytest.raises(KeyError):
        may(world["users"]["county"], "registry.fly_household")


def test_anonymous_user_may_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not any(may(AnonymousUser(), name) for name in ACTIONS)
