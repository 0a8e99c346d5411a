"""Output pieces shared by several apps' endpoints."""

from rest_framework import serializers

from tuopin.regions.models import Region


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


def region_filter(*, label: str = "区划代码（本级及以下）") -> serializers.RegexField:
    """A region code (digits only, at most 15); blank = no filter."""
    return serializers.RegexField(r"^[0-9]{0,15}$", required=False, allow_blank=True, label=label)


def year_filter(*, label: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=2000, max_value=2100, label=label)


def in_region(qs, code: str, field: str):
    """Rows of ``qs`` whose ``field`` (a region relation) lies in the region ``code`` or below it; an unknown
    code leaves no rows. Scoping has happened before (this only narrows)."""
    if not code:
        return qs
    path = Region.objects.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith": path})
