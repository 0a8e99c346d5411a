"""Errors of the REST API as JSON with Chinese messages: ``{"error": "…", "fields": {name: [messages]}}``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from tuopin.core.errors import ApplicationError, PermissionDeniedError

NOT_FOUND = "没有找到该记录，或不在您的辖区内"
MESSAGES = {
    exceptions.NotAuthenticated: "需要登录，或在请求头 Authorization 中提供有效的令牌（Token …）",
    exceptions.AuthenticationFailed: "令牌无效或账号已停用",
    exceptions.PermissionDenied: "您没有权限进行此操作",
    exceptions.NotFound: NOT_FOUND,
    exceptions.MethodNotAllowed: "不支持该请求方法",
    exceptions.NotAcceptable: "不支持请求的响应格式",
    exceptions.UnsupportedMediaType: "不支持该请求内容类型",
    exceptions.Throttled: "请求过于频繁，请稍后再试",
    exceptions.ParseError: "请求内容无法解析",
}


def _fields(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in detail.items()
        }
    return {}


def api_exception_handler(exc, context):
    """DRF's handler with every refusal rewritten as ``{"error": Chinese text}`` (and field messages)."""
    if isinstance(exc, PermissionDeniedError):
        return Response({"error": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ApplicationError):
        return Response({"error": exc.message, "fields": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        first = next(iter(fields.values()), ["请求参数有误"])[0]
        response.data = {"error": f"请求参数有误：{first}", "fields": fields}
        return response
    message = next((text for kind, text in MESSAGES.items() if isinstance(exc, kind)), None)
    response.data = {"error": message or str(getattr(exc, "detail", "请求失败"))}
    return response
