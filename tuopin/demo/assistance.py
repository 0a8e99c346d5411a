"""The demo county's assistance structure and problem ledger, reproducing the plan's counts:

* 72 units paired with 41 administrative villages and 192 village groups (一(二)4, 六(一));
* 43 county leaders paired with 45 natural villages (一(二)4 says 45, 六(一) says 46: the demo follows 一(二)4,
  and the plan audit reports the difference);
* 642 cadres pairing every registered household: 987 (六(一); 一(二)4 says 994 — the registry holds 987);
* 33 work teams of 68 members covering 41 villages, 8 liaison officers (一(二)4, 六(一));
* a 指挥部 with 13 分指挥部 (六(一) "下设13个分指挥部"; 一(二)5 speaks of 12 — the organisational section is
  taken); the plan names only some of them, the others are named here after the plan's programmes;
* contributions: 215 / 249.47 / 120.2 / 27.5 万元 (一(二)4), split over the units so the totals are exact;
* four supervision working groups (一(二)5) and problems taken from the plan's own list of weaknesses (一(四)).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from tuopin.accounts.models import User
from tuopin.accounts.permissions import console_actor
from tuopin.assistance import services as assistance_services
from tuopin.assistance.models import (
    Contribution,
    ContributionKind,
    CountyLeader,
    Headquarters,
    LeaderPairing,
    LiaisonOfficer,
    MemberRole,
    Presence,
    SubCommand,
    TeamMember,
    Unit,
    UnitKind,
    UnitPairing,
    UnitReport,
    WorkTeam,
)
from tuopin.projects.models import Programme, Target
from tuopin.regions.models import Level, Region
from tuopin.registry.models import Household
from tuopin.supervision import services as supervision_services
from tuopin.supervision.models import InspectionKind, ProblemStatus, WorkingGroup

START = datetime.date(2018, 1, 1)
YEAR = 2018
UNITS = 72
LEADERS = 43
LEADER_REGIONS = 45
PAIRED_GROUPS = 192
TEAMS = 33
MEMBERS = 68
LIAISONS = 8
REPORT_MONTH = datetime.date(2018, 7, 1)
TEN_THOUSAND = Decimal(10000)

#: (name, programme code or "", named in the plan?)
SUB_COMMANDS = [
    ("易地扶贫搬迁分指挥部", "relocation", False),
    ("产业发展分指挥部", "industry", True),
    ("农村危房改造分指挥部", "housing", True),
    ("基础设施建设分指挥部", "village", False),
    ("教育扶贫分指挥部", "education", False),
    ("健康扶贫分指挥部", "health", False),
    ("生态扶贫分指挥部", "ecology", False),
    ("素质提升分指挥部", "skills", False),
    ("就业扶贫分指挥部", "employment", False),
    ("社会兜底保障分指挥部", "social_security", True),
    ("宣传发动分指挥部", "", True),
    ("社会帮扶分指挥部", "", False),
    ("资金整合与监管分指挥部", "", False),
]

#: problems from the plan's own list of weaknesses (一(四)6–8), found by the demo inspections
PROBLEMS = [
    ("部分挂联单位未按要求报送帮扶材料", "按月报送挂联帮扶材料，补报缺报月份", 5),
    ("帮扶干部未制定因户施策帮扶计划，以送钱送物代替帮扶", "逐户制定帮扶措施，明确落实人和完成期限", 0),
    ("驻村工作队员在村时间不足", "落实驻村天数要求，建立在岗签到", 21),
    ("建档立卡户档案资料填写不全、数据逻辑不严密", "逐户核对档案，补齐缺失资料", 1),
]


def build_assistance() -> dict[str, int]:
    """Create the structure; runs inside the demo build's transaction, after the registry and the plan."""
    actor = console_actor()
    villages = list(
        Region.objects.filter(
            level=Level.VILLAGE, pk__in=Household.objects.registered().values("village_id")
        ).order_by("code")
    )
    units = _units()
    _contributions(units)
    _unit_pairings(units, villages)
    _leaders(villages)
    assistance_services.cadre_pairings_adopt(start_date=START, by=actor)
    teams = _teams(units, villages)
    _liaisons(units)
    _presence(teams)
    _reports(units)
    _headquarters(units)
    _ledger(actor, units)
    _visits()
    return {"units": len(units), "teams": len(teams)}


def _units() -> list[Unit]:
    rows = [
        Unit(name=f"县直单位{n:02d}（演示）", kind=UnitKind.COUNTY_UNIT, is_demo=True)
        for n in range(1, UNITS + 1)
    ]
    rows += [
        Unit(name="嵩明县扶贫企业（演示）", kind=UnitKind.ENTERPRISE, is_demo=True),
        Unit(name="嵩明县慈善会（演示）", kind=UnitKind.SOCIAL_ORG, is_demo=True),
    ]
    Unit.objects.bulk_create(rows)
    return list(Unit.objects.order_by("pk"))


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` yuan in ``parts`` amounts to the fen that add up exactly."""
    share = (total / parts).quantize(Decimal("0.01"))
    amounts = [share] * parts
    amounts[-1] = total - share * (parts - 1)
    return amounts


def _contributions(units: list[Unit]) -> None:
    county_units, others = units[:UNITS], units[UNITS:]
    rows = []
    for kind, total, payers in (
        (ContributionKind.DIRECT, Decimal("215"), county_units),
        (ContributionKind.COORDINATED, Decimal("249.47"), county_units),
        (ContributionKind.SOCIAL, Decimal("120.2"), others),
        (ContributionKind.GOODS, Decimal("27.5"), county_units),
    ):
        for unit, amount in zip(payers, _split(total * TEN_THOUSAND, len(payers)), strict=True):
            rows.append(
                Contribution(unit=unit, year=YEAR, kind=kind, amount=amount, note="演示：按规划总数分摊")
            )
    Contribution.objects.bulk_create(rows)


def _groups_of(villages: list[Region]) -> list[Region]:
    return list(Region.objects.filter(level=Level.GROUP, parent__in=villages).order_by("code"))


def _unit_pairings(units: list[Unit], villages: list[Region]) -> None:
    rows = []
    unit_of_village: dict[int, Unit] = {}
    for i, unit in enumerate(units[:UNITS]):
        village = villages[i % len(villages)]
        unit_of_village.setdefault(village.pk, unit)
        rows.append(UnitPairing(unit=unit, region=village, start_date=START))
    for group in _groups_of(villages)[:PAIRED_GROUPS]:
        rows.append(
            UnitPairing(unit=unit_of_village[int(group.parent_id or 0)], region=group, start_date=START)
        )
    UnitPairing.objects.bulk_create(rows)


def _leaders(villages: list[Region]) -> None:
    leaders = CountyLeader.objects.bulk_create(
        CountyLeader(name=f"县级领导{n:02d}（演示）", title="县级领导", is_demo=True)
        for n in range(1, LEADERS + 1)
    )
    # natural villages spread over the villages: the first group of each village, then the second ...
    groups = sorted(_groups_of(villages), key=lambda g: (g.code[-3:], g.code))[:LEADER_REGIONS]
    rows = [
        LeaderPairing(leader=leaders[i % LEADERS], region=group, start_date=START)
        for i, group in enumerate(groups)
    ]
    LeaderPairing.objects.bulk_create(rows)


def _teams(units: list[Unit], villages: list[Region]) -> list[WorkTeam]:
    teams = WorkTeam.objects.bulk_create(
        WorkTeam(name=f"驻村扶贫工作队{n:02d}（演示）", unit=units[n - 1], is_demo=True)
        for n in range(1, TEAMS + 1)
    )
    for i, village in enumerate(villages):
        teams[i % TEAMS].villages.add(village)
    members = []
    for i, team in enumerate(teams):
        members.append(
            TeamMember(
                team=team,
                name=f"第一书记{i + 1:02d}",
                role=MemberRole.FIRST_SECRETARY,
                unit=team.unit,
                start_date=START,
            )
        )
        members.append(
            TeamMember(
                team=team,
                name=f"队员{i + 1:02d}甲",
                role=MemberRole.CAPTAIN,
                unit=team.unit,
                start_date=START,
            )
        )
    for i in range(MEMBERS - len(members)):
        members.append(
            TeamMember(team=teams[i], name=f"队员{i + 1:02d}乙", unit=teams[i].unit, start_date=START)
        )
    TeamMember.objects.bulk_create(members)
    return teams


def _liaisons(units: list[Unit]) -> None:
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("code"))
    LiaisonOfficer.objects.bulk_create(
        LiaisonOfficer(name=f"联络员{n + 1}（演示）", township=townships[n % len(townships)], unit=units[n])
        for n in range(LIAISONS)
    )


def _presence(teams: list[WorkTeam]) -> None:
    members = TeamMember.objects.order_by("pk")
    # every member's July: 22 days, except every ninth member (the plan's "not really in the village")
    Presence.objects.bulk_create(
        Presence(member=member, month=REPORT_MONTH, days=12 if i % 9 == 4 else 22)
        for i, member in enumerate(members)
    )


def _reports(units: list[Unit]) -> None:
    # six units did not send July's material (the plan: 部分挂联单位不能及时按照要求报送材料)
    UnitReport.objects.bulk_create(
        UnitReport(unit=unit, month=REPORT_MONTH, received_on=datetime.date(2018, 8, 5), note="演示")
        for i, unit in enumerate(units[:UNITS])
        if i % 12 != 11
    )


def _headquarters(units: list[Unit]) -> None:
    hq = Headquarters.objects.create(
        name="嵩明县脱贫攻坚指挥部",
        commander="县委副书记",
        deputy="副县长",
        source="规划六(一)：成立由县委副书记任指挥长，副县长任副指挥长……下设13个分指挥部",
    )
    programmes = {p.code: p for p in Programme.objects.all()}
    for order, (name, code, named) in enumerate(SUB_COMMANDS, start=1):
        sub = SubCommand.objects.create(
            headquarters=hq,
            name=name,
            order=order,
            lead_unit=units[order - 1],
            source="规划原文所列" if named else "演示：规划写明13个分指挥部，未列全名称",
            is_demo=not named,
        )
        if code in programmes:
            sub.programmes.add(programmes[code])
            sub.targets.add(*Target.objects.filter(programme=programmes[code]))


def _ledger(actor: User, units: list[Unit]) -> None:
    groups = []
    for n, remit in enumerate(
        ("县脱贫攻坚指挥部办公室", "各分指挥部", "嵩阳街道、杨林镇", "小街镇、牛栏江镇"), start=1
    ):
        groups.append(
            WorkingGroup.objects.create(name=f"督查第{n}工作组", leader="副县级领导（演示）", remit=remit)
        )
    inspection = supervision_services.inspection_create(
        kind=InspectionKind.SUPERVISION,
        title="2018年第二季度脱贫攻坚督查（演示）",
        held_on=datetime.date(2018, 6, 20),
        working_group=groups[1],
        by=actor,
    )
    subs = list(SubCommand.objects.order_by("order"))
    kuanglang = Region.objects.get(code="530127102001")
    for i, (title, required, unit_index) in enumerate(PROBLEMS):
        problem = supervision_services.problem_record(
            inspection=inspection,
            by=actor,
            title=title,
            responsible_unit=units[unit_index],
            responsible_person="单位主要负责人（演示）",
            deadline=datetime.date(2018, 7, 31) if i % 2 else datetime.date(2018, 9, 30),
            required_rectification=required,
            region=kuanglang if i == 1 else None,
            unit=units[unit_index],
            sub_command=subs[11] if i < 3 else subs[0],
        )
        if i == 3:
            supervision_services.problem_move(
                problem=problem, to=ProblemStatus.RECTIFYING, by=actor, note="已安排逐户核对"
            )


def _visits() -> None:
    cadre = User.objects.get(username="cadre")
    for household in Household.objects.filter(responsible_cadre=cadre).order_by("household_no")[:2]:
        visit = assistance_services.visit_record(
            household=household,
            by=cadre,
            visited_on=datetime.date(2018, 7, 12),
            met="户主",
            findings="家庭收入主要来自务工，住房安全，子女在校就读（演示）",
            measures_agreed="联系就业培训；落实产业扶持资金（演示）",
            follow_up_on=datetime.date(2018, 9, 15),
        )
        assistance_services.measure_create(
            household=household,
            by=cadre,
            description="参加县人社局组织的技能培训",
            responsible=cadre.display_name,
            due_on=datetime.date(2018, 9, 30),
            visit=visit,
        )
