from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

_OPEN_PREFIXES = ("/accounts/login", "/static/", "/i18n/")


class LoginRequiredMiddleware:
    """Every page needs a login except the login page and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The REST API authenticates itself (token or session) and answers 401 as JSON.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if not request.user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            login_url = reverse(settings.LOGIN_URL)
            return redirect(f"{login_url}?next={request.path}")
        return self.get_response(request)
