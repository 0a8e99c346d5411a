"""Pages of the assessment: runs, one household's criteria, a village's exit status, county indicators,
what-if. Thin views: a selector or service and a TemplateResponse."""

from django.contrib import messages
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuopin.accounts.models import Role
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
    village_scorecard,
    village_status,
    village_worklist,
    villages_in_scope,
)
from tuopin.assessment.services import (
    EXIT_TRANSITIONS,
    assessment_run,
    exit_case_advance,
    exit_case_propose,
    sampling_check_record,
    satisfaction_survey_record,
    village_record_set,
    what_if,
)
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import INTEGER_RANGES, check_fields, check_value, parse_date, parse_int, query_int
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
    return user.is_superuser or user.role == Role.COUNTY


@require_GET
def index(request):
    year = _year(request)
    run = latest_run(year=year)
    context = {
        "year": year,
        "run": run,
        "runs": run_list()[:20],
        "can_run": _may_run(request.user),
        "criteria": _criteria_rows(run) if run else [],
        "plan": exit_plan(run=run, user=request.user) if run else [],
    }
    return TemplateResponse(request, "assessment/index.html", context)


def _criteria_rows(run: AssessmentRun) -> list[dict]:
    rows = []
    for c in EXIT_RULESET.criteria:
        counts = run.summary["criteria"][c.code]
        rules = [{"title": r.title, **run.summary["rules"][r.code]} for r in EXIT_RULESET.rules_of(c.code)]
        rows.append({"title": c.title, **counts, "rules": rules})
    return rows


@require_POST
def run_create(request):
    if not _may_run(request.user):
        raise Http404("只有县级用户可以发起全县评估")
    try:
        year = parse_int(request.POST.get("year", ""), label="评估年度", min_value=2000, max_value=2100)
        run = assessment_run(year=year, by=request.user)
    except ApplicationError as error:
        messages.error(request, getattr(error, "message", "评估年度不正确"))
        return redirect("assessment:index")
    messages.success(request, f"已完成{run.year}年评估：{run.households} 户，用时 {run.duration_ms} 毫秒")
    return redirect("assessment:run", pk=run.pk)


@require_GET
def run_detail(request, pk: int):
    run = get_object_or_404(AssessmentRun, pk=pk)
    villages = []
    for village in villages_in_scope(user=request.user):
        figures = run.summary.get("villages", {}).get(str(village.pk))
        if figures:
            villages.append({"village": village, **figures})
    previous = run_list(year=run.year).filter(pk__lt=run.pk).first()
    context = {
        "run": run,
        "criteria": _criteria_rows(run),
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
    may_act = user.can_edit_registry and user.role != Role.CADRE
    return {"exit_cases": cases, "open_case": open_case, "exit_choices": choices if may_act else []}


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
    status = village_status(run=run, village=village) if run else None
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
        "scorecard": village_scorecard(run=run, village=village) if run else [],
        "worklist": village_worklist(run=run, village=village, user=request.user) if run else [],
        "colours": (
            run.summary.get("villages", {}).get(str(village.pk), {}).get("colours", {}) if run else {}
        ),
        "may_record": request.user.is_superuser or request.user.role in (Role.COUNTY, Role.TOWNSHIP),
    }
    return TemplateResponse(request, "assessment/village.html", context)


@require_GET
def county(request):
    if not (request.user.is_superuser or request.user.role in (Role.COUNTY, Role.INSPECTOR)):
        raise Http404("县级指标仅对县级用户和督查人员开放")
    year = _year(request)
    run = latest_run(year=year)
    context = {"year": year, "run": run, "indicators": county_indicators(run=run) if run else []}
    return TemplateResponse(request, "assessment/county.html", context)


@require_http_methods(["GET", "POST"])
def what_if_view(request):
    year = _year(request)
    base = latest_run(year=year)
    resolved = standards_resolve(year=year)
    fields = [
        {"key": k.value, "label": k.label, "current": resolved[k.value].value, "unit": resolved[k.value].unit}
        for k in WHAT_IF_KEYS
    ]
    context = {"year": year, "base": base, "fields": fields, "result": None, "errors": {}}
    if request.method == "POST":
        if base is None:
            context["errors"]["general"] = f"{year}年还没有正式评估，请先运行评估"
            return TemplateResponse(request, "assessment/what_if.html", context, status=400)
        overrides = {}
        for field in fields:
            raw = (request.POST.get(field["key"]) or "").strip()
            field["proposed"] = raw
            if not raw:
                continue
            try:
                value = check_value(Standard._meta.get_field("value"), raw, label=field["label"])
            except ApplicationError as error:
                context["errors"][field["key"]] = error.message
                continue
            if value < 0:
                context["errors"][field["key"]] = f"“{field['label']}”不能为负数"
                continue
            overrides[field["key"]] = value
        if context["errors"]:
            return TemplateResponse(request, "assessment/what_if.html", context, status=400)
        result = what_if(year=year, overrides=overrides, base_run=base)
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
    return TemplateResponse(request, "assessment/what_if.html", context)


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
