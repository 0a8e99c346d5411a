"""Read-only JSON API over the project library, the plan summary and the plan audit, scoped by the same
selectors as the pages (session login)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from tuopin.accounts.permissions import may, refusal
from tuopin.projects import audit, selectors


def _json(data) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _plan(request):
    plan = selectors.plan_current(request.GET.get("plan") or None)
    if plan is None:
        return None, JsonResponse({"error": "还没有载入规划（运行 tuopin plan load）"}, status=404)
    return plan, None


@require_GET
def project_list_api(request):
    plan, missing = _plan(request)
    if missing:
        return missing
    filters = selectors.ProjectFilters(plan_id=plan.pk, status=request.GET.get("status", ""))
    projects = selectors.project_list(user=request.user, filters=filters)
    return _json(
        {
            "plan": plan.version,
            "count": len(projects),
            "results": [
                {
                    "id": p.pk,
                    "seed_key": p.seed_key,
                    "programme": p.programme.code,
                    "name": p.name,
                    "region": {"code": p.region.code, "name": p.region.name} if p.region else None,
                    "place_text": p.place_text,
                    "years": [p.year_from, p.year_to],
                    "quantity": None if p.quantity is None else audit.plain(p.quantity),
                    "unit": p.unit,
                    "investment_yuan": str(p.investment),
                    "status": p.status,
                }
                for p in projects
            ],
        }
    )


@require_GET
def plan_summary_api(request):
    if not may(request.user, "projects.view_plan_audit"):
        return JsonResponse({"error": refusal("projects.view_plan_audit")}, status=403)
    plan, missing = _plan(request)
    return missing or _json(selectors.plan_summary(plan=plan))


@require_GET
def plan_audit_api(request):
    if not may(request.user, "projects.view_plan_audit"):
        return JsonResponse({"error": refusal("projects.view_plan_audit")}, status=403)
    plan, missing = _plan(request)
    if missing:
        return missing
    findings = selectors.plan_audit(plan=plan)
    return _json(
        {
            "plan": plan.version,
            "counts": audit.summary_counts(findings),
            "findings": [f.as_dict() for f in findings],
        }
    )
