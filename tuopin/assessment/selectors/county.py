"""County indicators (扶贫开发成效考核): engine rules ``COUNTY_RULESET`` over the run's stored village figures and
the year's recorded sampling checks and surveys, judged by the run's own stored standards."""

from typing import Any

from django.db.models import Sum

from tuopin.assessment.engine.areas import AreaResult, explain_area, stored_params
from tuopin.assessment.engine.rules import COUNTY_RULESET
from tuopin.assessment.models import AssessmentRun, SamplingCheck, SatisfactionSurvey
from tuopin.assessment.selectors.village import SAMPLING_SUMS


def county_figures(*, run: AssessmentRun) -> dict[str, Any]:
    """What the county indicators read: people and people still poor summed over the run's villages, and the
    sums of every sampling check and satisfaction survey recorded for the run's year."""
    villages = run.summary.get("villages", {}).values()
    return {
        "population": sum(v.get("people", 0) for v in villages),
        "remaining_poor_people": sum(v.get("remaining_poor_people", 0) for v in villages),
        **SamplingCheck.objects.filter(year=run.year).aggregate(**SAMPLING_SUMS),
        **SatisfactionSurvey.objects.filter(year=run.year).aggregate(
            surveyed=Sum("surveyed"), satisfied=Sum("satisfied")
        ),
    }


def county_indicators(*, run: AssessmentRun) -> list[AreaResult]:
    """County indicators (规划一(二)6 扶贫开发成效考核) from the run and recorded checks and surveys."""
    figures = county_figures(run=run)
    return list(explain_area(COUNTY_RULESET, figures, stored_params(run.standards, COUNTY_RULESET)))
