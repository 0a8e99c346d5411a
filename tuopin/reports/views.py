from django.template.response import TemplateResponse


def overview(request):
    return TemplateResponse(request, "reports/overview.html", {})
