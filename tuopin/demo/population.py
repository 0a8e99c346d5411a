"""The demo county's registered population, as figures the seed states (嵩明县脱贫攻坚规划 2018).

Every count here is either a figure of the seed (with its place) or a demo choice that keeps the seed's totals
true; ``tests/test_demo.py`` proves the totals.
"""

from dataclasses import dataclass

from tuopin.registry.models import PovertyStatus

# County totals, seed 一(二)1: 共有建档立卡贫困人口987户3541人，其中：脱贫740户2812人，未脱贫247户729人，
# 列入今年脱贫计划214户666人.
REGISTERED = (987, 3541)
EXITED = (740, 2812)
NOT_EXITED = (247, 729)
PLANNED_2018 = (214, 666)
PLAN_YEAR = 2018
DATA_YEAR = 2018

# 386 registered poor people receive 低保 (seed 一(三)5: 全县共有386人建档立卡贫困对象享受低保).
DIBAO_PEOPLE = 386
# 642 assistance cadres pair every registered household (seed 一(二)4, 六(一)).
CADRES = 642


@dataclass(frozen=True)
class Block:
    """A group of registered households in one village with one status."""

    village: str  # region code, or "demo:N" for the N-th demo village with registered households
    status: str  # poor / exited / relapsed
    households: int
    people: int
    planned_exit_year: int | None = None
    relocated_to: str = ""  # group code of the resettlement site
    source: str = ""


# Named villages. The three unexited poor villages: 匡郎 11户28人, 荒田 37户97人, 大箐 23户39人
# (seed 一(三)3, "现有建档立卡贫困户"), read as the households not yet exited; together with their exited
# households the three villages hold 251户828人 (seed 一(三)3 "建档立卡贫困户251户828人").
# Relocation: 东村干河菜子箐安置点52户193人, 荒田大火地安置点20户58人 (seed 三(一)).
NAMED_BLOCKS = (
    Block(
        "530127102001",
        PovertyStatus.POOR,
        11,
        28,
        PLAN_YEAR,
        source="seed 一(三)3 匡郎村现有建档立卡贫困户11户28人",
    ),
    Block(
        "530127103001",
        PovertyStatus.POOR,
        17,
        39,
        PLAN_YEAR,
        source="seed 一(三)3 荒田村现有建档立卡贫困户37户97人",
    ),
    Block(
        "530127103001",
        PovertyStatus.POOR,
        20,
        58,
        PLAN_YEAR,
        relocated_to="530127103001001",
        source="seed 三(一) 牛栏江镇荒田村委会大火地安置点20户58人",
    ),
    Block(
        "530127103002",
        PovertyStatus.POOR,
        23,
        39,
        PLAN_YEAR,
        source="seed 一(三)3 大箐村现有建档立卡贫困户23户39人",
    ),
    Block(
        "530127102002",
        PovertyStatus.POOR,
        8,
        26,
        PLAN_YEAR,
        source="seed 三(二)5、6 落水洞村委会未脱贫户5户、3户",
    ),
    Block("530127102003", PovertyStatus.POOR, 1, 3, PLAN_YEAR, source="seed 三(二)7 核桃村委会未脱贫户1户"),
    Block("530127001002", PovertyStatus.POOR, 7, 25, PLAN_YEAR, source="seed 三(二)3 大营6户养牛、1户养羊"),
    Block("530127102001", PovertyStatus.EXITED, 60, 199, source="demo: 三个贫困村合计251户828人减去未脱贫户"),
    Block("530127103001", PovertyStatus.EXITED, 75, 270, source="demo: 同上"),
    Block("530127103002", PovertyStatus.EXITED, 45, 195, source="demo: 同上"),
    Block(
        "530127001001",
        PovertyStatus.EXITED,
        52,
        193,
        relocated_to="530127001001001",
        source="seed 三(一) 嵩阳街道东村居委会干河菜子箐安置点52户193人",
    ),
    Block("530127001001", PovertyStatus.EXITED, 48, 178, source="demo: 东村2016年出列"),
    Block("530127101001", PovertyStatus.EXITED, 64, 241, source="demo: 云林2016年出列"),
)

# Demo villages hold the rest of the county totals, so that 41 villages have registered households
# (seed 一(三)2 建档立卡户涉及41个村（居）委会).
DEMO_VILLAGES_WITH_HOUSEHOLDS = 33


def remaining_blocks() -> tuple[Block, ...]:
    """The rest of the county totals, spread over the demo villages."""

    def total(status: str, planned: bool | None = None) -> tuple[int, int]:
        blocks = [b for b in NAMED_BLOCKS if b.status == status]
        if planned is not None:
            blocks = [b for b in blocks if (b.planned_exit_year == PLAN_YEAR) == planned]
        return sum(b.households for b in blocks), sum(b.people for b in blocks)

    planned_h, planned_p = total(PovertyStatus.POOR, planned=True)
    exited_h, exited_p = total(PovertyStatus.EXITED)
    rest_planned = (PLANNED_2018[0] - planned_h, PLANNED_2018[1] - planned_p)
    rest_exited = (EXITED[0] - exited_h, EXITED[1] - exited_p)
    later = (NOT_EXITED[0] - PLANNED_2018[0], NOT_EXITED[1] - PLANNED_2018[1])
    return (
        Block("demo", PovertyStatus.POOR, *rest_planned, PLAN_YEAR, source="demo"),
        Block("demo", PovertyStatus.EXITED, *rest_exited, source="demo"),
        # Not in the 2018 plan: 兜底 households planned for 2019–2020, five of them 返贫.
        Block("demo", PovertyStatus.POOR, later[0] - 5, later[1] - 8, 2019, source="demo"),
        Block("demo", PovertyStatus.RELAPSED, 5, 8, 2020, source="demo"),
    )


# Rural households outside the registry (卡外) in the five poor villages, so that missed-registration checks
# have a population to look at. Demo choice: a village population of a few hundred households.
UNREGISTERED_HOUSEHOLDS = {
    "530127001001": 780,  # 东村
    "530127101001": 690,  # 云林
    "530127102001": 240,  # 匡郎
    "530127103001": 260,  # 荒田
    "530127103002": 170,  # 大箐
}
