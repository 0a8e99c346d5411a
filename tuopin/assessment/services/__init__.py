"""Assessment use cases, split by what they write: ``runs`` (a stored run, what-if), ``exits`` (the exit
procedure), ``records`` (village year records, sampling checks, satisfaction surveys). Every public name is
importable from ``tuopin.assessment.services``."""

from tuopin.assessment.evaluation import compile_run, dialect
from tuopin.assessment.services.exits import (
    EXIT_TRANSITIONS,
    RECHECK_CRITERIA,
    STEP_ACTIONS,
    exit_case_advance,
    exit_case_propose,
)
from tuopin.assessment.services.records import (
    sampling_check_record,
    satisfaction_survey_record,
    village_record_set,
)
from tuopin.assessment.services.runs import (
    WhatIfChange,
    WhatIfResult,
    assessment_run,
    today,
    what_if,
)

__all__ = [
    "EXIT_TRANSITIONS",
    "RECHECK_CRITERIA",
    "STEP_ACTIONS",
    "WhatIfChange",
    "WhatIfResult",
    "assessment_run",
    "compile_run",
    "dialect",
    "exit_case_advance",
    "exit_case_propose",
    "sampling_check_record",
    "satisfaction_survey_record",
    "today",
    "village_record_set",
    "what_if",
]
