"""Who may do what, where. The one module that compares roles.

Every action is a named permission (``"<app>.<verb>_<object>"``) registered with the ``rules`` package as a
predicate of ``(user, target)``. The target is what the action touches: a region, a household, a project, a
record that has a ``region``/``village``/``household``, or ``None`` for actions without an area (run the county
assessment, manage users).

* Services call ``require(by, "registry.edit_household", household)``; it raises ``PermissionDeniedError`` with
  the action's Chinese message.
* Views ask ``may(request.user, ...)``; templates get the same answers through ``{% load rules %}`` and
  ``{% has_perm "registry.edit_household" user household as can_edit %}``, or a context flag computed with
  ``may``.
* Nothing else compares roles (CI fails on ``role ==`` outside this module).
* The console (``tuopin …`` commands) acts as one named user, ``console_actor()``: role ``console``, county
  powers, an unusable password, so it can never log in.

Area rules: county, administrator, inspector and console users cover the whole county (or their region if set
below the county); township and village users cover their region and everything below it; an assistance cadre
covers only their paired households (``Household.responsible_cadre``) and their region for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions.predicates import (
    CONSOLE_USERNAME,
    area_staff_in_area,
    county_office,
    county_or_township_places,
    county_reader,
    covers_county,
    in_own_area,
    is_active,
    is_admin,
    is_cadre,
    is_console,
    is_county_office,
    is_inspector,
    is_paired_household,
    is_reader,
    is_township,
    is_uploader,
    is_village,
    no_target,
    reader_in_area,
    township_in_area,
    village_or_township_in_area,
)
from tuopin.accounts.permissions.predicates import (
    area_path as area_path,
)
from tuopin.accounts.permissions.predicates import (
    user_area_path as user_area_path,
)
from tuopin.core.errors import PermissionDeniedError

# --- the actions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    predicate: Any
    refusal: str | StrPromise


ACTIONS: dict[str, Action] = {}


def action(name: str, predicate: Any, refusal: str | StrPromise) -> None:
    """Register one named action with its predicate and the Chinese message shown on refusal."""
    if name in ACTIONS:
        raise ValueError(f"duplicate permission {name}")
    ACTIONS[name] = Action(name, predicate, refusal)
    rules.add_perm(name, predicate)


# accounts
action("accounts.manage_users", is_active & (is_admin | is_console), _("只有县级管理员可以管理用户账号"))
action("accounts.view_access_log", is_active & (is_admin | is_console), _("只有县级管理员可以查看访问记录"))

# registry (target: a village for create, a household or a member otherwise)
action("registry.view_household", reader_in_area, _("该农户不在您的辖区内"))
action("registry.create_household", is_active & area_staff_in_area, _("您不能在该地区新建农户"))
action(
    "registry.edit_household",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能修改该农户的登记信息"),
)
action(
    "registry.edit_member",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能增加、修改或删除该户的成员"),
)

# imports (target: an import batch, or none)
action(
    "imports.upload_batch",
    is_active & (is_county_office | is_township | is_village),
    _("您的角色不能导入登记数据（只有县、乡、村级用户可以导入）"),
)
action(
    "imports.commit_batch",
    is_active & (is_county_office | ((is_township | is_village) & is_uploader)),
    _("只能提交或放弃自己上传的导入批次"),
)
action("imports.view_all_batches", county_office, _("只有县级用户可以查看所有导入批次"))
action("imports.export_registry", is_reader, _("您的角色不能导出登记数据"))
action("imports.load_department_list", county_office, _("只有县级用户可以导入部门名单"))
action(
    "imports.accept_difference",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能按部门名单修改该人员的登记信息"),
)
action("imports.view_unmatched_records", county_reader, _("只有县级用户可以查看登记库以外的名单记录"))
action("imports.view_renovation_list", is_reader, _("您的角色不能查看4类重点对象名单"))

# assessment (target: a region for runs, a household for the exit procedure, a village for its records)
action(
    "assessment.run",
    is_active & ((is_county_office & (no_target | in_own_area)) | ((is_township | is_village) & in_own_area)),
    _("只有县级用户可以发起全县评估；乡镇、村级用户只能评估本辖区"),
)
action("assessment.what_if", is_reader, _("您的角色不能试算标准调整"))
action("assessment.view_county_indicators", county_reader, _("县级指标仅对县级用户和督查人员开放"))
action("assessment.exit_propose", village_or_township_in_area, _("“拟退出”须由本辖区村、乡镇或县级用户办理"))
action(
    "assessment.exit_review", village_or_township_in_area, _("“村民主评议”须由本辖区村、乡镇或县级用户办理")
)
action("assessment.exit_notice", village_or_township_in_area, _("“村内公示”须由本辖区村、乡镇或县级用户办理"))
action("assessment.exit_township_check", township_in_area, _("“乡镇审核”须由本乡镇或县级用户办理"))
action(
    "assessment.exit_county_approve",
    is_active & is_county_office & in_own_area,
    _("“县审定公告”须由县级用户办理"),
)
action("assessment.exit_announce", is_active & is_county_office & in_own_area, _("“已脱贫”须由县级用户办理"))
action(
    "assessment.exit_withdraw", village_or_township_in_area, _("撤回退出程序须由本辖区村、乡镇或县级用户办理")
)
action("assessment.exit_relapse", village_or_township_in_area, _("返贫须由本辖区村、乡镇或县级用户办理"))
action("assessment.record_village_year", township_in_area, _("只有县、乡镇用户可以登记本辖区村的考核数据"))
action("assessment.record_sampling_check", township_in_area, _("只有县、乡镇用户可以登记本辖区村的抽查结果"))
action(
    "assessment.record_satisfaction_survey",
    township_in_area,
    _("只有县、乡镇用户可以登记本辖区村的满意度调查"),
)

# policy
action("policy.set_standard", county_office, _("只有县级用户可以修改政策标准"))

# projects (target: a project, or the region a project or figure is placed in; none = county level)
action(
    "projects.create_project",
    county_or_township_places,
    _("您无权在该地区新建项目（乡镇用户只能新建本乡镇的项目）"),
)
action(
    "projects.edit_project",
    county_or_township_places,
    _("您无权编辑该地区的项目（乡镇用户只能编辑本乡镇的项目）"),
)
action("projects.change_status", county_or_township_places, _("您无权变更该项目的状态"))
action("projects.link_households", county_or_township_places, _("您无权调整该项目的受益农户"))
action("projects.record_fund_entry", county_or_township_places, _("您无权登记该项目的资金"))
action("projects.record_target_actual", county_or_township_places, _("您无权填报该地区的完成情况"))
action("projects.view_county_targets", county_reader, _("只有县级用户和督查人员可以查看全县目标完成情况"))
action("projects.edit_cost_table", county_office, _("只有县级用户可以修改措施单价"))
action("projects.load_plan", county_office, _("只有县级用户可以载入规划"))
action("projects.view_plan_audit", county_reader, _("规划汇总与核对仅对县级用户和督查人员开放"))

# registry procedures (纳入, 返贫, member changes, status by import)
action(
    "registry.procedure_propose",
    is_active & area_staff_in_area,
    _("申请、民主评议、公示和撤回须由该户所在村、乡镇或县级用户办理"),
)
action(
    "registry.procedure_township_check",
    is_active & is_township & in_own_area,
    _("乡镇审核须由该户所在乡镇的用户办理"),
)
action(
    "registry.procedure_county_approve",
    is_active & is_county_office & in_own_area,
    _("县审定公告须由县级用户办理"),
)
action(
    "registry.change_members",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能增减该户的家庭成员"),
)
action(
    "registry.import_status",
    is_active & is_county_office,
    _("只有县级用户可以通过导入设置或更改脱贫状态"),
)


# assistance
#: office roles that read the assistance structure and coverage (figures are scoped by the selectors)
assistance_reader = is_active & (is_county_office | is_inspector | is_township | is_village)
action("assistance.view_structure", assistance_reader, _("您不能查看帮扶结构"))
action(
    "assistance.manage_pairings",
    is_active & (is_county_office | ((is_township | is_village) & in_own_area)),
    _("只有县、乡（镇）、村工作人员可以调整本辖区的挂联和帮扶关系"),
)
action(
    "assistance.manage_structure",
    is_active & is_county_office,
    _("只有县级用户可以维护挂联单位、工作队和指挥部"),
)
action(
    "assistance.record_visit",
    is_active & is_cadre & is_paired_household,
    _("只能为本人结对帮扶的农户登记走访"),
)
action("assistance.view_visits", reader_in_area, _("该农户不在您的辖区内"))
action(
    "assistance.manage_measures",
    is_active & ((is_cadre & is_paired_household) | area_staff_in_area),
    _("只能为本人结对帮扶或本辖区的农户制定帮扶措施"),
)
action("assistance.view_own_households", is_active & is_cadre, _("只有帮扶责任人有“我的帮扶户”"))
action("assistance.be_paired_cadre", is_active & is_cadre, _("只有帮扶责任人账号可以结对帮扶农户"))
action(
    "assistance.record_presence",
    is_active & (is_county_office | (is_township & in_own_area)),
    _("只有县级或所在乡（镇）可以登记驻村在岗天数"),
)
action("assistance.record_unit_report", is_active & is_county_office, _("只有县级用户可以登记挂联单位月报"))

# supervision
action(
    "supervision.view_problems",
    is_active & (is_county_office | is_inspector | ((is_township | is_village) & (in_own_area | no_target))),
    _("该问题不在您的辖区内"),
)
action(
    "supervision.record_problem",
    is_active & (is_inspector | is_county_office),
    _("只有督查人员和县级用户可以登记问题"),
)
action(
    "supervision.rectify_problem",
    is_active & (is_county_office | ((is_township | is_village) & in_own_area)),
    _("只有责任地区的工作人员可以整改并申请销号"),
)
action(
    "supervision.review_problem",
    is_active & (is_inspector | is_county_office),
    _("只有督查人员和县级用户可以销号、退回或移交"),
)
action(
    "supervision.view_report",
    is_active & (is_inspector | is_county_office),
    _("只有督查人员和县级用户可以查看逆向通报"),
)

# reports
#: office roles that read an area's figures (not assistance cadres, who see only their paired households)
area_reader = is_active & (is_county_office | is_inspector | is_township | is_village)
action("reports.print_household_file", reader_in_area, _("该农户不在您的辖区内"))
action(
    "reports.print_full_id_number",
    is_active & area_staff_in_area,
    _("您的角色打印的证件号码须隐去中间位数"),
)
action(
    "reports.print_exit_notice", area_reader & in_own_area, _("只有本辖区的县、乡、村用户可以打印退出公示")
)
action("reports.view_mpi", area_reader, _("多维贫困测算仅对县、乡、村和督查用户开放"))


# accounts and personal data
@rules.predicate
def is_real_account(user: User, target: Any) -> bool:
    """The target is a person's account (not the console actor, which nobody edits)."""
    return target is not None and getattr(target, "username", None) != CONSOLE_USERNAME


action(
    "accounts.change_account",
    is_active & (is_admin | is_console) & is_real_account,
    _("该账号不能修改（控制台账号不能登录，也不能修改）"),
)
#: full ID numbers, phones and health details of one household (its page, member forms, API detail)
action(
    "registry.view_full_identity",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您的角色只能看到脱敏后的证件号码、电话和健康信息"),
)
#: full ID numbers, phones and health in lists, search results and exports (the export is scoped anyway)
action(
    "registry.export_personal_data",
    is_active & (is_county_office | is_township | is_village),
    _("您的角色导出的名单中证件号码、电话和健康信息已脱敏"),
)

# monitoring
#: township and county office users in their area (乡镇审核)
_township_or_county_in_area = is_active & (is_county_office | is_township) & in_own_area
action("monitoring.view_case", reader_in_area, _("该监测户不在您的辖区内"))
action(
    "monitoring.raise_clue",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能为该农户报告风险线索"),
)
action("monitoring.verify_case", is_active & area_staff_in_area, _("您不能办理该户的核实、评议和公示"))
action("monitoring.check_case", _township_or_county_in_area, _("只有乡镇或县级用户可以审核"))
action(
    "monitoring.decide_case",
    is_active & is_county_office & in_own_area,
    _("只有县级用户可以认定或批准风险消除"),
)
action(
    "monitoring.record_measure",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能为该户录入帮扶措施"),
)
action("monitoring.run_triggers", is_active & is_county_office, _("只有县级用户可以运行监测预警"))
action(
    "monitoring.record_department_report",
    is_active & is_county_office,
    _("只有县级用户可以录入部门推送的风险信息"),
)
action("monitoring.print_notice", is_active & area_staff_in_area, _("您不能打印该村的公示"))
action(
    "monitoring.view_lists",
    is_active & (is_county_office | is_inspector | is_township | is_village) & in_own_area,
    _("您不能查看该地区的监测名单"),
)

# reports (standard tables)
#: the standard .xlsx reports of the user's area (office roles and inspectors; personal data masked by role)
action("reports.export_standard", area_reader, _("标准报表仅对县、乡、村和督查用户开放"))


def may(user: User | AnonymousUser, name: str, target: Any = None) -> bool:
    """May ``user`` do action ``name`` on ``target``?"""
    if name not in ACTIONS:
        raise KeyError(f"unknown permission {name}")
    return bool(ACTIONS[name].predicate.test(user, target))


def refusal(name: str) -> str:
    """The Chinese message shown when action ``name`` is refused."""
    return str(ACTIONS[name].refusal)


def require(user: User | AnonymousUser, name: str, target: Any = None) -> None:
    """Refuse with the action's Chinese message unless ``user`` may do ``name`` on ``target``."""
    if not may(user, name, target):
        raise PermissionDeniedError(str(ACTIONS[name].refusal))


def area_name(user: User) -> str:
    """How pages name what the user sees: 全县, their township or village, or 帮扶户 for a cadre."""
    if is_cadre.test(user):
        return "我的帮扶户"
    if covers_county.test(user):
        return "全县"
    return user.region.name if user.region is not None else ""


def assistance_cadres():
    """Active assistance cadres (帮扶责任人), for pairing a household with one."""
    return User.objects.filter(role=Role.CADRE, is_active=True).order_by("username")


def console_actor() -> User:
    """The one named actor of ``tuopin …`` commands (created on first use; cannot log in)."""
    user, created = User.objects.get_or_create(
        username=CONSOLE_USERNAME,
        defaults={"role": Role.CONSOLE, "full_name": "控制台"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
