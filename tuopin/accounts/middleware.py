from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

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


_PASSWORD_CHANGE_OPEN = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/")


class PasswordChangeRequiredMiddleware:
    """A user whose password was set by an administrator is sent to the password change page until they
    have chosen their own (``User.must_change_password``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_PASSWORD_CHANGE_OPEN)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": "请先修改密码"}, status=403, json_dumps_params={"ensure_ascii": False}
                )
            return redirect("accounts:password_change")
        return self.get_response(request)


#: URL namespaces whose responses carry personal data (names, ID numbers, phones, health): never cached.
NO_STORE_NAMESPACES = frozenset({"registry", "registry_api", "imports", "accounts", "assessment"})


class PersonalDataNoStoreMiddleware:
    """``Cache-Control: no-store`` on every response of a view that shows personal data: household and
    member pages, exports, import reports, the API with persons, assessment pages listing households, the
    account pages and the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace in NO_STORE_NAMESPACES:
            add_never_cache_headers(response)
        return response
