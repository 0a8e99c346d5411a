"""Pages of the assessment: runs, one household's criteria, a village's exit status, county indicators,
what-if. Thin views: a selector or service and a TemplateResponse."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuopin.accounts.permissions import may, refusal
from tuopin.assessment.engine.batch import unpack
from tuopin.assessment.engine.rules import EXIT_RULESET, Outcome
from tuopin.assessment.models import AssessmentRun, ExitStatus, ExitStep, HouseholdResult
from tuopin.assessment.selectors import (
    NOT_EXITED,
    county_indicators,
    exit_cases,
    exit_plan,
    household_explanation,
    household_indicators,
    household_latest_result,
    latest_run,
    run_diff,
    run_list,
    run_summary_for,
    village_scorecard,
    village_status,
    village_worklist,
    villages_in_scope,
)
from tuopin.assessment.services import (
    EXIT_TRANSITIONS,
    STEP_ACTIONS,
    exit_case_advance,
    exit_case_propose,
    sampling_check_record,
    satisfaction_survey_record,
    village_record_set,
    what_if,
)
from tuopin.assessment.tasks import assessment_run_task, what_if_from_json, what_if_task
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import INTEGER_RANGES, check_fields, check_value, parse_date, parse_int, query_int
from tuopin.jobs.models import Job, JobKind, JobStatus
from tuopin.jobs.selectors import jobs_for
from tuopin.jobs.services import job_enqueue
from tuopin.policy.models import Standard, StandardKey
from tuopin.policy.selectors import standards_resolve
from tuopin.regions.models import Region
from tuopin.registry.models import Household
from tuopin.registry.selectors import household_get, households_for

WHAT_IF_KEYS = (
    StandardKey.INCOME_LINE,
    StandardKey.MEDICAL_SELF_PAID_LIMIT,
    StandardKey.RELOCATION_SELF_FUNDING_CAP,
)


def _year(request) -> int:
    year = query_int(request, "year", min_value=2000, max_value=2100)
    if year is not None:
        return year
    latest = AssessmentRun.objects.aggregate(y=Max("year"))["y"]
    return latest or (Household.objects.aggregate(y=Max("data_year"))["y"] or 2018)


def _may_run(user) -> bool:
    return may(user, "assessment.run")


def _last_run_job(user) -> Job | None:
    return jobs_for(user).filter(kind=JobKind.ASSESSMENT_RUN).first()


@require_GET
def index(request):
    year = _year(request)
    run = latest_run(year=year)
    summary = run_summary_for(run=run, user=request.user) if run else None
    context = {
        "year": year,
        "run": run,
        "summary": summary,
        "runs": _with_figures(run_list()[:20], request.user),
        "can_run": _may_run(request.user),
        "job": _last_run_job(request.user),
        "criteria": _criteria_rows(summary) if run else [],
        "plan": exit_plan(run=run, user=request.user) if run else [],
    }
    return TemplateResponse(request, "assessment/index.html", context)


def _with_figures(runs, user) -> list[AssessmentRun]:
    """Each run with ``figures``: its summary as the user may see it."""
    runs = list(runs)
    for run in runs:
        run.figures = run_summary_for(run=run, user=user)
    return runs


def _criteria_rows(summary: dict) -> list[dict]:
    rows = []
    for c in EXIT_RULESET.criteria:
        counts = summary["criteria"][c.code]
        rules = [{"title": r.title, **summary["rules"][r.code]} for r in EXIT_RULESET.rules_of(c.code)]
        rows.append({"title": c.title, **counts, "rules": rules})
    return rows


@require_POST
def run_create(request):
    """Queue a county run; the assessment page shows it 排队中 / 运行中 / 完成 / 失败 until it is done."""
    if not _may_run(request.user):
        raise Http404(refusal("assessment.run"))
    try:
        raw = str(parse_int(request.POST.get("year", ""), label="评估年度", min_value=2000, max_value=2100))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("assessment:index")
    job = job_enqueue(
        kind=JobKind.ASSESSMENT_RUN,
        owner=request.user,
        task=assessment_run_task,
        permission="assessment.run",
        params={"year": int(raw)},
    )
    if job.status == JobStatus.DONE:
        messages.success(request, job.message)
        return redirect(job.result["url"])
    if job.status == JobStatus.FAILED:
        messages.error(request, job.message)
    else:
        messages.info(request, f"{raw}年全县评估已排队，由后台任务运行，完成后本页显示结果")
    return redirect(reverse("assessment:index") + f"?year={raw}")


@require_GET
def run_detail(request, pk: int):
    run = get_object_or_404(AssessmentRun, pk=pk)
    summary = run_summary_for(run=run, user=request.user)
    villages = []
    for village in villages_in_scope(user=request.user):
        figures = summary.get("villages", {}).get(str(village.pk))
        if figures:
            villages.append({"village": village, **figures})
    previous = run_list(year=run.year).filter(pk__lt=run.pk).first()
    context = {
        "run": run,
        "summary": summary,
        "criteria": _criteria_rows(summary),
        "plan": exit_plan(run=run, user=request.user),
        "villages": villages,
        "previous": previous,
        "runs": run_list(year=run.year).exclude(pk=run.pk)[:20],
    }
    return TemplateResponse(request, "assessment/run_detail.html", context)


@require_GET
def run_compare(request, pk: int, other: int):
    new = get_object_or_404(AssessmentRun, pk=pk)
    old = get_object_or_404(AssessmentRun, pk=other)
    rows = run_diff(old=old, new=new, user=request.user)
    standards_changed = [
        {
            "key": key,
            "label": item.get("label", key),
            "old": old.standards.get(key, {}).get("value"),
            "new": item.get("value"),
        }
        for key, item in new.standards.items()
        if old.standards.get(key, {}).get("value") != item.get("value")
    ]
    rules_changed = [code for code, v in new.rule_versions.items() if old.rule_versions.get(code) != v]
    context = {
        "new": new,
        "old": old,
        "rows": rows,
        "standards_changed": standards_changed,
        "rules_changed": rules_changed,
    }
    return TemplateResponse(request, "assessment/run_compare.html", context)


@require_GET
def household_criteria(request, pk: int):
    """The criteria of one household (HTMX fragment on the household page, or a page of its own)."""
    household = household_get(user=request.user, pk=pk)
    year = _year(request)
    explanation = household_explanation(user=request.user, household=household, year=year)
    stored = household_latest_result(household=household, year=year)
    resolved = standards_resolve(year=year, region=household.village)
    context = {
        "household": household,
        "year": year,
        "explanation": explanation,
        "stored": stored,
        "stored_matches": stored is not None
        and unpack(stored.outcomes, EXIT_RULESET) == explanation.outcomes,
        "eligible": explanation.all_pass and household.status in NOT_EXITED,
        "standard_warnings": [
            s for s in resolved.values() if s.warning and s.key in ("income_line", "medical_self_paid_limit")
        ],
        "indicators": household_indicators(user=request.user, household=household, year=year),
        **_exit_context(request.user, household),
    }
    template = "assessment/_criteria.html" if request.htmx else "assessment/household.html"
    return TemplateResponse(request, template, context)


def _exit_context(user, household) -> dict:
    cases = list(exit_cases(household=household))
    open_case = next((c for c in cases if c.status not in (ExitStatus.WITHDRAWN, ExitStatus.RELAPSED)), None)
    if open_case is None:
        choices = (
            [(ExitStatus.PROPOSED.value, ExitStatus.PROPOSED.label)] if household.status in NOT_EXITED else []
        )
    else:
        choices = [
            (s, ExitStatus(s).label) for s in ExitStatus.values if s in EXIT_TRANSITIONS[open_case.status]
        ]
    choices = [(status, label) for status, label in choices if may(user, STEP_ACTIONS[status], household)]
    return {"exit_cases": cases, "open_case": open_case, "exit_choices": choices}


@require_POST
def exit_step(request, pk: int):
    """Record the next step of the household's exit procedure (or propose it)."""
    household = household_get(user=request.user, pk=pk)
    year = _year(request)
    to_status = request.POST.get("to_status", "")
    try:
        on_date = parse_date(request.POST.get("on_date", ""), label="日期")
        checked = check_fields(
            ExitStep, {"document": request.POST.get("document", ""), "note": request.POST.get("note", "")}
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('assessment:household', args=[pk])}?year={year}")
    fields = {"by": request.user, "on_date": on_date, **checked}
    try:
        context = _exit_context(request.user, household)
        if context["open_case"] is None and to_status == ExitStatus.PROPOSED:
            exit_case_propose(household=household, year=year, **fields)
        elif context["open_case"] is not None:
            exit_case_advance(case=context["open_case"], to_status=to_status, **fields)
        else:
            raise ApplicationError("该户当前不能办理退出程序")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已记录：{ExitStatus(to_status).label}")
    return redirect(f"{reverse('assessment:household', args=[pk])}?year={year}")


@require_GET
def village_detail(request, pk: int):
    village = get_object_or_404(Region, pk=pk, level=3)
    if not villages_in_scope(user=request.user).filter(pk=pk).exists():
        raise Http404("没有找到该村，或不在您的辖区内")
    year = _year(request)
    run = latest_run(year=year)
    summary = run_summary_for(run=run, user=request.user) if run else {}
    status = village_status(run=run, village=village, user=request.user, summary=summary) if run else None
    rows = []
    if run:
        results = (
            HouseholdResult.objects.filter(
                run=run, village=village, household__in=households_for(request.user).values("pk")
            )
            .filter(status__in=NOT_EXITED)
            .select_related("household")
            .order_by("household__household_no")
        )
        for result in results:
            decoded = unpack(result.outcomes, EXIT_RULESET)
            rows.append(
                {
                    "household": result.household,
                    "eligible": result.outcomes == 0,
                    "failing": [r.title for r in EXIT_RULESET.rules if decoded[r.code] == Outcome.FAIL],
                    "missing": [r.title for r in EXIT_RULESET.rules if decoded[r.code] == Outcome.MISSING],
                }
            )
    context = {
        "village": village,
        "year": year,
        "run": run,
        "status": status,
        "rows": rows,
        "scorecard": village_scorecard(run=run, village=village, summary=summary) if run else [],
        "worklist": village_worklist(run=run, village=village, user=request.user) if run else [],
        "colours": summary.get("villages", {}).get(str(village.pk), {}).get("colours", {}),
        "may_record": may(request.user, "assessment.record_village_year", village),
        "may_record_sampling": may(request.user, "assessment.record_sampling_check", village),
        "may_record_survey": may(request.user, "assessment.record_satisfaction_survey", village),
    }
    return TemplateResponse(request, "assessment/village.html", context)


@require_GET
def county(request):
    if not may(request.user, "assessment.view_county_indicators"):
        raise Http404(refusal("assessment.view_county_indicators"))
    year = _year(request)
    run = latest_run(year=year)
    context = {"year": year, "run": run, "indicators": county_indicators(run=run) if run else []}
    return TemplateResponse(request, "assessment/county.html", context)


@require_http_methods(["GET", "POST"])
def what_if_view(request):
    """Proposed standards evaluated without saving. Over more than ``WHAT_IF_SYNC_HOUSEHOLDS`` households the
    evaluation is queued; the page then shows the job and, when it is done, the same result (``?job=``)."""
    year = _year(request)
    base = latest_run(year=year)
    resolved = standards_resolve(year=year)
    fields = [
        {"key": k.value, "label": k.label, "current": resolved[k.value].value, "unit": resolved[k.value].unit}
        for k in WHAT_IF_KEYS
    ]
    context = {"year": year, "base": base, "fields": fields, "result": None, "errors": {}, "job": None}
    if request.method == "GET" and request.GET.get("job", "").isdigit():
        job = get_object_or_404(jobs_for(request.user).filter(kind=JobKind.WHAT_IF), pk=request.GET["job"])
        context["job"] = job
        if job.status == JobStatus.DONE:
            _what_if_result(request, context, what_if_from_json(job.result))
        return TemplateResponse(request, "assessment/what_if.html", context)
    if request.method == "POST":
        if base is None:
            context["errors"]["general"] = f"{year}年还没有正式评估，请先运行评估"
            return TemplateResponse(request, "assessment/what_if.html", context, status=400)
        overrides = _what_if_overrides(request, fields, context["errors"])
        if context["errors"]:
            return TemplateResponse(request, "assessment/what_if.html", context, status=400)
        if Household.objects.count() > settings.WHAT_IF_SYNC_HOUSEHOLDS:
            job = job_enqueue(
                kind=JobKind.WHAT_IF,
                owner=request.user,
                task=what_if_task,
                permission="assessment.what_if",
                params={
                    "year": year,
                    "base_run": base.pk,
                    "overrides": {key: str(value) for key, value in overrides.items()},
                },
            )
            return redirect(reverse("assessment:what_if") + f"?year={year}&job={job.pk}")
        _what_if_result(
            request, context, what_if(year=year, overrides=overrides, base_run=base, by=request.user)
        )
    return TemplateResponse(request, "assessment/what_if.html", context)


def _what_if_overrides(request, fields: list[dict], errors: dict) -> dict[str, Decimal]:
    overrides = {}
    for field in fields:
        raw = (request.POST.get(field["key"]) or "").strip()
        field["proposed"] = raw
        if not raw:
            continue
        try:
            value = check_value(Standard._meta.get_field("value"), raw, label=field["label"])
        except ApplicationError as error:
            errors[field["key"]] = error.message
            continue
        if value < 0:
            errors[field["key"]] = f"“{field['label']}”不能为负数"
            continue
        overrides[field["key"]] = value
    return overrides


def _what_if_result(request, context: dict, result) -> None:
    """The changed households the user may see, with the rules that changed (scoped by ``households_for``)."""
    visible = set(
        households_for(request.user)
        .filter(pk__in=[c.household_id for c in result.changes])
        .values_list("pk", flat=True)
    )
    context["result"] = result
    context["changes"] = [
        {
            "change": c,
            "before": c.old_outcomes == 0 and c.status in NOT_EXITED,
            "after": c.new_outcomes == 0 and c.status in NOT_EXITED,
            "rules": _changed_rules(c.old_outcomes, c.new_outcomes),
        }
        for c in result.changes
        if c.household_id in visible
    ]


def _changed_rules(old: int | None, new: int) -> list[str]:
    if old is None:
        return ["（基准评估中无此户）"]
    before, after = unpack(old, EXIT_RULESET), unpack(new, EXIT_RULESET)
    names = {Outcome.PASS: "达标", Outcome.FAIL: "未达标", Outcome.MISSING: "数据缺失"}
    return [
        f"{r.title}：{names[before[r.code]]} → {names[after[r.code]]}"
        for r in EXIT_RULESET.rules
        if before[r.code] != after[r.code]
    ]


def _int(value: str, label: str) -> int:
    return parse_int(value, label=label, min_value=0, max_value=INTEGER_RANGES["PositiveIntegerField"][1])


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@require_POST
def village_records(request, pk: int):
    """Record the village's year figures, a sampling check or a satisfaction survey (county/township users)."""
    village = get_object_or_404(Region, pk=pk, level=3)
    if not villages_in_scope(user=request.user).filter(pk=pk).exists():
        raise Http404("没有找到该村，或不在您的辖区内")
    year = _year(request)
    data = request.POST
    try:
        kind = data.get("kind")
        if kind == "village_record":
            village_record_set(
                village=village,
                year=year,
                by=request.user,
                collective_income=data.get("collective_income", ""),
                has_work_team=_flag(data.get("has_work_team", "")),
                has_first_secretary=_flag(data.get("has_first_secretary", "")),
                rural_population=data.get("rural_population", ""),
                source=data.get("source", "").strip(),
            )
        elif kind in ("sampling", "survey"):
            on = parse_date(data.get("on_date", ""), label="日期")
            if kind == "sampling":
                labels = {
                    "registered_checked": "抽查建档立卡人口数",
                    "mis_included": "错评人口数",
                    "unregistered_checked": "抽查未建档立卡人口数",
                    "missed": "漏评人口数",
                    "exited_checked": "抽查脱贫人口数",
                    "mis_exited": "错退人口数",
                }
                counts = {name: _int(data.get(name, "0") or "0", label) for name, label in labels.items()}
                sampling_check_record(village=village, year=year, by=request.user, checked_on=on, **counts)
            else:
                satisfaction_survey_record(
                    village=village,
                    year=year,
                    by=request.user,
                    surveyed_on=on,
                    surveyed=_int(data.get("surveyed", ""), "调查户数"),
                    satisfied=_int(data.get("satisfied", ""), "满意户数"),
                )
        else:
            raise ApplicationError("未知的登记类型")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已登记")
    return redirect(f"{reverse('assessment:village', args=[pk])}?year={year}")
