"""Every rule set of the assessment, in one place to import from: the household exit criteria
(``exit_rules``), the colour-card inputs and data-quality rules (``indicator_rules``) and the village and
county indicators (``area_rules``). What a rule is lives in ``rulebase``; outcomes in ``outcomes``."""

from tuopin.assessment.engine.area_rules import (
    COUNTY_RULESET,
    VILLAGE_RULESET,
    AreaRule,
    AreaRuleSet,
)
from tuopin.assessment.engine.exit_rules import (
    EXIT_CRITERIA,
    EXIT_RULES,
    EXIT_RULESET,
    IS_SCHOOLING_CAUSE,
    OUT_OF_SCHOOL_CHILD,
    OUT_OF_SCHOOL_CODES,
    UNINSURED_MEMBER,
)
from tuopin.assessment.engine.indicator_rules import (
    DQ_RULES,
    INDICATOR_CRITERIA,
    INDICATOR_RULES,
    INDICATOR_RULESET,
)
from tuopin.assessment.engine.outcomes import OUTCOME_LABELS, Outcome, combine
from tuopin.assessment.engine.rulebase import (
    INCOME_LINE,
    IS_RELOCATED,
    NET_INCOME,
    Criterion,
    PerCapita,
    Rule,
    RuleSet,
)

__all__ = [
    "COUNTY_RULESET",
    "DQ_RULES",
    "EXIT_CRITERIA",
    "EXIT_RULES",
    "EXIT_RULESET",
    "INCOME_LINE",
    "INDICATOR_CRITERIA",
    "INDICATOR_RULES",
    "INDICATOR_RULESET",
    "IS_RELOCATED",
    "IS_SCHOOLING_CAUSE",
    "NET_INCOME",
    "OUTCOME_LABELS",
    "OUT_OF_SCHOOL_CHILD",
    "OUT_OF_SCHOOL_CODES",
    "UNINSURED_MEMBER",
    "VILLAGE_RULESET",
    "AreaRule",
    "AreaRuleSet",
    "Criterion",
    "Outcome",
    "PerCapita",
    "Rule",
    "RuleSet",
    "combine",
]
