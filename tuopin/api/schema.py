"""OpenAPI post-processing: every operation documents the JSON error answers it can give."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "中文说明"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "按参数或字段列出的错误",
        },
    },
    "required": ["error"],
}
ERRORS = {
    "400": "请求参数有误",
    "401": "需要登录或有效的令牌",
    "403": "没有权限",
    "404": "没有找到，或不在您的辖区内",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                responses.setdefault(code, {"description": text, "content": reference})
    return result
