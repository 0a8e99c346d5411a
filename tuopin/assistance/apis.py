"""REST API over the assistance records a user may see: cadre–household pairings (干部帮户) and visits
(走访), read-only. Both start from ``registry.selectors.households_for``, so a village user sees their
village's and a cadre their paired households' records; any other record answers 404."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from tuopin.accounts.models import User
from tuopin.api.serializers import in_region, region_filter, year_filter
from tuopin.assistance.models import CadrePairing, Visit
from tuopin.registry.selectors import households_for


def visits_for(user: User):
    return Visit.objects.filter(household__in=households_for(user).values("pk"))


def pairings_for(user: User):
    return CadrePairing.objects.filter(household__in=households_for(user).values("pk"))


class VisitFilterInput(serializers.Serializer):
    region = region_filter()
    year = year_filter(label="走访年度")
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="农户")
    raises_clue = serializers.BooleanField(
        required=False, allow_null=True, default=None, label="发现风险线索"
    )


class PairingFilterInput(serializers.Serializer):
    region = region_filter()
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="农户")
    current = serializers.BooleanField(required=False, allow_null=True, default=None, label="当前结对")


class VisitOutput(serializers.ModelSerializer):
    household_no = serializers.CharField(source="household.household_no")
    cadre = serializers.CharField(source="cadre.display_name")

    class Meta:
        model = Visit
        fields = (
            "id",
            "household",
            "household_no",
            "cadre",
            "visited_on",
            "met",
            "findings",
            "measures_agreed",
            "follow_up_on",
            "raises_clue",
            "clue_reason",
            "created_at",
        )


class PairingOutput(serializers.ModelSerializer):
    household_no = serializers.CharField(source="household.household_no")
    cadre = serializers.CharField(source="cadre.display_name")
    unit = serializers.CharField(source="unit.name", default="", allow_null=True)

    class Meta:
        model = CadrePairing
        fields = (
            "id",
            "household",
            "household_no",
            "cadre",
            "unit",
            "start_date",
            "end_date",
            "end_reason",
        )


def _params(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


@extend_schema(parameters=[VisitFilterInput], summary="走访记录列表（本辖区）")
class VisitListApi(generics.ListAPIView):
    serializer_class = VisitOutput

    def get_queryset(self):
        data = _params(VisitFilterInput, self.request)
        qs = in_region(
            visits_for(cast(User, self.request.user)), data.get("region", ""), "household__village"
        )
        if data.get("year"):
            qs = qs.filter(visited_on__year=data["year"])
        if data.get("household"):
            qs = qs.filter(household_id=data["household"])
        if data.get("raises_clue") is not None:
            qs = qs.filter(raises_clue=data["raises_clue"])
        return qs.select_related("household", "cadre").order_by("-visited_on", "-pk")


@extend_schema(summary="一次走访")
class VisitDetailApi(generics.RetrieveAPIView):
    serializer_class = VisitOutput

    def get_queryset(self):
        return visits_for(cast(User, self.request.user)).select_related("household", "cadre")


@extend_schema(parameters=[PairingFilterInput], summary="干部帮户结对列表（本辖区）")
class PairingListApi(generics.ListAPIView):
    serializer_class = PairingOutput

    def get_queryset(self):
        data = _params(PairingFilterInput, self.request)
        qs = in_region(
            pairings_for(cast(User, self.request.user)), data.get("region", ""), "household__village"
        )
        if data.get("household"):
            qs = qs.filter(household_id=data["household"])
        if data.get("current") is not None:
            qs = qs.filter(end_date__isnull=data["current"])
        return qs.select_related("household", "cadre", "unit").order_by("-start_date", "-pk")


@extend_schema(summary="一个干部帮户结对")
class PairingDetailApi(generics.RetrieveAPIView):
    serializer_class = PairingOutput

    def get_queryset(self):
        return pairings_for(cast(User, self.request.user)).select_related("household", "cadre", "unit")
