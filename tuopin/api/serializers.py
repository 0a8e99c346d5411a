"""Output pieces shared by several apps' endpoints."""

from rest_framework import serializers


class RegionOutput(serializers.Serializer):
    """A region as ``{"code": "530183…", "name": "荒田村委会"}``."""

    code = serializers.CharField()
    name = serializers.CharField()


def text_filter(*, max_length: int, label: str) -> serializers.RegexField:
    """A free-text query parameter: printable text of at most ``max_length`` characters (blank = no filter)."""
    return serializers.RegexField(
        rf"^[^\u0000-\u001f\u007f]{{0,{max_length}}}$", required=False, allow_blank=True, label=label
    )


def code_filter(*, label: str) -> serializers.RegexField:
    """A code of a code list (letters, digits, ``_``); blank = no filter."""
    return serializers.RegexField(r"^[A-Za-z0-9_]{0,32}$", required=False, allow_blank=True, label=label)
