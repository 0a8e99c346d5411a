"""Five-colour cards (五色卡 红蓝紫黄绿): an ordered scheme of cards, first match wins.

A card matches on the household's status, whether every exit criterion is met and one indicator rule
(see ``rules.INDICATOR_RULES``). An indicator that is missing (e.g. an unset standard) stops the scheme
with "undetermined" — missing data never gives a colour by default.

The default follows docs/policy-facts.md §7 (准格尔旗 analogue; Songming's own definitions were NOT FOUND):
红 未脱贫; 黄 脱贫但未全部达标或收入接近标准（存在返贫风险）; 绿 收入远高于标准的稳定脱贫户;
蓝 收入明显高于标准的脱贫户; 紫 卡外低收入边缘户; 卡外其他农户无卡. The income multiples are standards.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuopin.assessment.engine.batch import outcome_of_sql
from tuopin.assessment.engine.constants import EXITED, NOT_EXITED, UNREGISTERED
from tuopin.assessment.engine.indicator_rules import INDICATOR_RULESET
from tuopin.assessment.engine.outcomes import Outcome
from tuopin.assessment.engine.rulebase import RuleSet

UNDETERMINED = "unknown"


@dataclass(frozen=True)
class Card:
    colour: str
    statuses: tuple[str, ...]
    exit_met: bool | None = None  # None: any
    indicator: str | None = None  # an indicator rule that must pass
    meaning: str = ""


DEFAULT_SCHEME = (
    Card("red", NOT_EXITED, meaning="未脱贫户（含返贫户）"),
    Card("yellow", (EXITED,), exit_met=False, meaning="已脱贫但两不愁三保障或收入未全部达标，存在返贫风险"),
    Card(
        "green",
        (EXITED,),
        exit_met=True,
        indicator="income_above_green",
        meaning="稳定脱贫，收入远高于标准",
    ),
    Card(
        "blue",
        (EXITED,),
        exit_met=True,
        indicator="income_above_blue",
        meaning="脱贫巩固，收入明显高于标准",
    ),
    Card("yellow", (EXITED,), exit_met=True, meaning="已脱贫但收入接近标准，存在返贫风险"),
    Card("purple", (UNREGISTERED,), indicator="income_below_monitoring", meaning="卡外低收入边缘户"),
    Card("none", (UNREGISTERED,), meaning="卡外一般农户（无卡）"),
)


def colour_of(
    status: str, outcomes: int, flags: dict[str, Outcome], scheme: tuple[Card, ...] = DEFAULT_SCHEME
) -> str:
    """Python back-end: the card for one household from its status, exit outcomes and indicator outcomes."""
    for card in scheme:
        if status not in card.statuses:
            continue
        if card.exit_met is not None and (outcomes == 0) != card.exit_met:
            continue
        if card.indicator is not None:
            outcome = flags[card.indicator]
            if outcome == Outcome.MISSING:
                return UNDETERMINED
            if outcome == Outcome.FAIL:
                continue
        return card.colour
    return UNDETERMINED


def colour_sql(
    *,
    status: str,
    outcomes: str,
    flags: str,
    scheme: tuple[Card, ...] = DEFAULT_SCHEME,
    ruleset: RuleSet = INDICATOR_RULESET,
) -> tuple[str, list[str]]:
    """SQL back-end: a CASE over stored columns (status, packed outcomes, packed flags) and its params."""
    whens: list[str] = []
    params: list[str] = []
    for card in scheme:
        conditions = [f"{status} IN ({', '.join(['%s'] * len(card.statuses))})"]
        base_params = list(card.statuses)
        if card.exit_met is not None:
            conditions.append(f"{outcomes} = 0" if card.exit_met else f"{outcomes} <> 0")
        if card.indicator is not None:
            bit = outcome_of_sql(flags, ruleset.bit(card.indicator))
            whens.append(f"WHEN {' AND '.join([*conditions, f'{bit} = 2'])} THEN %s")
            params += [*base_params, UNDETERMINED]
            conditions.append(f"{bit} = 0")
        whens.append(f"WHEN {' AND '.join(conditions)} THEN %s")
        params += [*base_params, card.colour]
    return f"(CASE {' '.join(whens)} ELSE %s END)", [*params, UNDETERMINED]
