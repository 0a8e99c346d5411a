from django.db import transaction

from tuopin.core.errors import ApplicationError
from tuopin.regions.models import KIND_LEVEL, Kind, Level, Region


@transaction.atomic
def region_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Region | None,
    source: str = "",
    is_demo: bool = False,
    is_poor_village: bool = False,
    poor_village_exit_year: int | None = None,
) -> Region:
    level = KIND_LEVEL[Kind(kind)]
    if (parent is None) != (level == Level.COUNTY):
        raise ApplicationError("只有县级区划没有上级", field="parent")
    if parent is not None and parent.level != level - 1:  # the level right above
        raise ApplicationError(f"“{name}”的上级层级不正确", field="parent")
    path = f"{parent.path}{code}/" if parent else f"{code}/"
    return Region.objects.create(
        code=code,
        name=name,
        kind=kind,
        level=level,
        parent=parent,
        path=path,
        source=source,
        is_demo=is_demo,
        is_poor_village=is_poor_village,
        poor_village_exit_year=poor_village_exit_year,
    )


@transaction.atomic
def region_tree_load(*, data: dict) -> Region:
    """Create the county tree described by ``data`` (regions/data/*.json). Existing codes are kept as they are."""

    def ensure(node: dict, parent: Region | None) -> Region:
        existing = Region.objects.filter(code=node["code"]).first()
        if existing:
            return existing
        notes = []
        if node.get("township_inferred"):
            notes.append("所属镇街为推定")
        if node.get("parent_inferred"):
            notes.append("所属村为推定")
        source = node.get("source", "") + (
            f"（{'；'.join(notes)}）" if notes and "推定" not in node.get("source", "") else ""
        )
        return region_create(
            code=node["code"],
            name=node["name"],
            kind=node["kind"],
            parent=parent,
            source=source[:200],
            is_poor_village=bool(node.get("poor_village")),
            poor_village_exit_year=node.get("poor_village_exit_year"),
        )

    county = ensure(data["county"], None)
    for township_node in data["townships"]:
        township = ensure(township_node, county)
        for village_node in township_node.get("villages", []):
            village = ensure(village_node, township)
            for group_node in village_node.get("groups", []):
                ensure(group_node, village)
    return county
