"""The dashboard's figures as chart specifications for ``static/js/dashboards.js``: labels, series and, per
segment, the address of the list behind it (the drill-down)."""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from tuopin.core.money import yuan_to_wan
from tuopin.dashboards.selectors import Dashboard
from tuopin.regions.models import Level


def _households_url(region_pk: int, **filters) -> str:
    return reverse("registry:list") + "?" + urlencode({"region": region_pk, **filters})


def colour_url(region_pk: int, colour: str) -> str:
    """The household list of one 五色卡 colour in the region (registered households, as the pie counts)."""
    query = urlencode({"region": region_pk, "status": "registered", "colour": colour})
    return reverse("dashboards:colour_households") + "?" + query


def chart_specs(board: Dashboard) -> list[dict[str, Any]]:
    pk = board.region.pk
    specs: list[dict[str, Any]] = []
    if board.children:
        level = "乡镇" if board.region.level == Level.COUNTY else "行政村"
        specs.append(
            {
                "id": "chart-children",
                "kind": "bar",
                "title": f"各{level}建档立卡户数与人数",
                "labels": [row["name"] for row in board.children],
                "series": [
                    {
                        "name": "已脱贫（户）",
                        "values": [row["exited_households"] for row in board.children],
                        "stack": "户",
                    },
                    {
                        "name": "未脱贫（户）",
                        "values": [row["not_exited"] for row in board.children],
                        "stack": "户",
                    },
                    {"name": "人数（人）", "values": [row["people"] for row in board.children]},
                ],
                "links": [reverse("dashboards:region", args=[row["pk"]]) for row in board.children],
            }
        )
    specs.append(
        {
            "id": "chart-status",
            "kind": "pie",
            "title": "按脱贫状态（户）",
            "labels": [row["label"] for row in board.by_status],
            "series": [{"name": "户数", "values": [row["households"] for row in board.by_status]}],
            "links": [_households_url(pk, status=row["key"]) for row in board.by_status],
        }
    )
    if board.by_colour:
        specs.append(
            {
                "id": "chart-colour",
                "kind": "pie",
                "title": "按五色卡（户）",
                "labels": [row["label"] for row in board.by_colour],
                "series": [{"name": "户数", "values": [row["households"] for row in board.by_colour]}],
                "links": [colour_url(pk, row["key"]) for row in board.by_colour],
            }
        )
    specs.append(
        {
            "id": "chart-cause",
            "kind": "bar",
            "title": "按主要致贫原因",
            "labels": [row["label"] for row in board.by_cause],
            "series": [
                {"name": "户数（户）", "values": [row["households"] for row in board.by_cause]},
                {"name": "人数（人）", "values": [row["people"] for row in board.by_cause]},
            ],
            "links": [_households_url(pk, cause=row["key"]) for row in board.by_cause],
        }
    )
    specs.append(
        {
            "id": "chart-year",
            "kind": "bar",
            "title": "按年度：识别、计划脱贫与实际脱贫（户）",
            "labels": [str(row["year"]) for row in board.by_year],
            "series": [
                {"name": "识别（户）", "values": [row["identified"] for row in board.by_year]},
                {"name": "计划脱贫（户）", "values": [row["planned"] for row in board.by_year]},
                {"name": "已脱贫（户）", "values": [row["exited_households"] for row in board.by_year]},
            ],
            "links": [_households_url(pk, planned=row["year"]) for row in board.by_year],
        }
    )
    if board.investment:
        sources = list(board.investment[0]["sources"])
        specs.append(
            {
                "id": "chart-investment",
                "kind": "bar",
                "title": "按项目类别与资金来源的投资（万元）",
                "labels": [row["programme"] for row in board.investment],
                "series": [
                    *(
                        {
                            "name": source,
                            "stack": "资金",
                            "values": [yuan_to_wan(row["sources"][source]) for row in board.investment],
                        }
                        for source in sources
                    ),
                    {
                        "name": "资金缺口",
                        "stack": "资金",
                        "values": [yuan_to_wan(row["gap"]) for row in board.investment],
                    },
                ],
                "links": [reverse("projects:list") for _ in board.investment],
            }
        )
    for spec in specs:
        spec["data_id"] = spec["id"] + "-data"
    return specs
