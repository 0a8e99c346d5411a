from django.http import JsonResponse

from tuopin.api.errors import NOT_FOUND


def api_not_found(request, path: str = ""):
    """Any address under /api/ that is no endpoint answers JSON, like the endpoints do."""
    return JsonResponse({"error": NOT_FOUND}, status=404, json_dumps_params={"ensure_ascii": False})
