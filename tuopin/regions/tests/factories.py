"""Region factories: a small county › 2 townships › 2 villages each, with real codes and paths."""

import factory
from factory.django import DjangoModelFactory

from tuopin.regions.models import Kind, Level, Region

_KIND_LEVEL = {Kind.COUNTY: Level.COUNTY, Kind.TOWN: Level.TOWNSHIP, Kind.VILLAGE_COMMITTEE: Level.VILLAGE}


class RegionFactory(DjangoModelFactory[Region]):
    """One region; ``path`` follows from the parent as ``regions.services.region_create`` builds it."""

    class Meta:
        model = Region

    parent = None
    kind = Kind.COUNTY
    code = factory.Sequence(lambda n: f"53{n % 10000:04d}000000")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = factory.LazyAttribute(lambda o: _KIND_LEVEL[Kind(o.kind)])
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}{o.code}/" if o.parent else f"{o.code}/")


_county_numbers = iter(range(9000, 10000))


def county_tree(name: str = "测试县") -> dict:
    """A county with townships 甲镇, 乙镇 and villages 一村, 二村 under each: ``county``, ``townships``
    (list of 2), ``villages`` (list of 4, the first two under the first township)."""
    number = next(_county_numbers)
    county = RegionFactory(code=f"53{number:04d}000000", name=name, kind=Kind.COUNTY)
    townships, villages = [], []
    for t, town_name in enumerate(("甲镇", "乙镇"), start=1):
        township = RegionFactory(
            code=f"53{number:04d}{t:03d}000", name=f"{name}{town_name}", kind=Kind.TOWN, parent=county
        )
        townships.append(township)
        for v, village_name in enumerate(("一村委会", "二村委会"), start=1):
            villages.append(
                RegionFactory(
                    code=f"53{number:04d}{t:03d}{v:03d}",
                    name=f"{town_name[0]}{village_name}",
                    kind=Kind.VILLAGE_COMMITTEE,
                    parent=township,
                )
            )
    return {"county": county, "townships": townships, "villages": villages}
