"""Project-wide error pages."""

from django.template.response import TemplateResponse


def csrf_failure(request, reason: str = ""):
    """Django's CSRF refusal, in Chinese (CSRF_FAILURE_VIEW)."""
    return TemplateResponse(request, "core/csrf_failure.html", {"reason": reason}, status=403)
