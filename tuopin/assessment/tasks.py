"""Background tasks of the assessment: a county run started from the page, and what-if over a large scope.

Each task gets a job id only; ``jobs.services.job_run`` re-checks the owner's permission and records the
outcome. The work calls the same services as the page did (``assessment_run``, ``what_if``).
"""

from dataclasses import asdict
from decimal import Decimal

from django.urls import reverse
from django_tasks import task

from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.services import WhatIfChange, WhatIfResult, assessment_run, what_if
from tuopin.core.errors import ApplicationError
from tuopin.jobs.models import Job
from tuopin.jobs.services import Outcome, Progress, job_run


def _run(job: Job, progress: Progress) -> Outcome:
    run = assessment_run(year=int(job.params["year"]), by=job.owner)
    return Outcome(
        message=f"已完成{run.year}年评估：{run.households} 户，用时 {run.duration_ms} 毫秒",
        result={"run": run.pk, "url": reverse("assessment:run", args=[run.pk])},
    )


def what_if_to_json(result: WhatIfResult) -> dict:
    return {
        "year": result.year,
        "base_run": result.base_run.pk,
        "overrides": {key: str(value) for key, value in result.overrides.items()},
        "eligible_before": result.eligible_before,
        "eligible_after": result.eligible_after,
        "changed_total": result.changed_total,
        "changes": [asdict(change) for change in result.changes],
    }


def what_if_from_json(data: dict) -> WhatIfResult:
    return WhatIfResult(
        year=data["year"],
        base_run=AssessmentRun.objects.get(pk=data["base_run"]),
        overrides={key: Decimal(value) for key, value in data["overrides"].items()},
        eligible_before=data["eligible_before"],
        eligible_after=data["eligible_after"],
        changes=[WhatIfChange(**change) for change in data["changes"]],
        changed_total=data["changed_total"],
    )


def _what_if(job: Job, progress: Progress) -> Outcome:
    base = AssessmentRun.objects.filter(pk=job.params["base_run"]).first()
    if base is None:
        raise ApplicationError("基准评估已不存在，请重新模拟")
    overrides = {key: Decimal(value) for key, value in job.params["overrides"].items()}
    result = what_if(year=int(job.params["year"]), overrides=overrides, base_run=base, by=job.owner)
    return Outcome(
        message=f"模拟完成：达到退出标准 {result.eligible_before} 户 → {result.eligible_after} 户",
        result={
            **what_if_to_json(result),
            "url": reverse("assessment:what_if") + f"?year={result.year}&job={job.pk}",
        },
    )


@task()
def assessment_run_task(job_id: int) -> dict:
    return job_run(job_id, _run)


@task()
def what_if_task(job_id: int) -> dict:
    return job_run(job_id, _what_if)
