"""Region factories: one region with its code and path, a small county tree, and the named villages of the
嵩明县 tests (found again by name, so fixtures of several apps can share them)."""

import factory
from factory.django import DjangoModelFactory

from tuopin.regions.models import KIND_LEVEL, Kind, Level, Region


class RegionFactory(DjangoModelFactory[Region]):
    """One region; ``level`` follows from ``kind`` and ``path`` from the parent, as
    ``regions.services.region_create`` builds them."""

    class Meta:
        model = Region

    parent = None
    kind = Kind.COUNTY
    code = factory.Sequence(lambda n: f"53{n % 10000:04d}000000")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = factory.LazyAttribute(lambda o: KIND_LEVEL[Kind(o.kind)])
    path = factory.LazyAttribute(lambda o: f"{o.parent.path}{o.code}/" if o.parent else f"{o.code}/")


_county_numbers = iter(range(9000, 10000))


def county_tree(name: str = "测试县") -> dict:
    """A county with townships 甲镇, 乙镇 and villages 一村, 二村 under each: ``county``, ``townships``
    (list of 2), ``villages`` (list of 4, the first two under the first township)."""
    number = next(_county_numbers)
    county = RegionFactory.create(code=f"53{number:04d}000000", name=name, kind=Kind.COUNTY)
    townships, villages = [], []
    for t, town_name in enumerate(("甲镇", "乙镇"), start=1):
        township = RegionFactory.create(
            code=f"53{number:04d}{t:03d}000", name=f"{name}{town_name}", kind=Kind.TOWN, parent=county
        )
        townships.append(township)
        for v, village_name in enumerate(("一村委会", "二村委会"), start=1):
            villages.append(
                RegionFactory.create(
                    code=f"53{number:04d}{t:03d}{v:03d}",
                    name=f"{town_name[0]}{village_name}",
                    kind=Kind.VILLAGE_COMMITTEE,
                    parent=township,
                )
            )
    return {"county": county, "townships": townships, "villages": villages}


def home_county() -> Region:
    """The county of the test database (嵩明县, code 530127), created when there is none yet."""
    existing = Region.objects.filter(level=Level.COUNTY).order_by("pk").first()
    return existing or RegionFactory.create(code="530127", name="嵩明县", kind=Kind.COUNTY)


def named_village(name: str, *, town: str, kind: str = Kind.VILLAGE_COMMITTEE) -> Region:
    """The village ``name`` under township ``town`` of the home county, created (township too) if missing."""
    county = home_county()
    township = Region.objects.filter(parent=county, name=town).first()
    if township is None:
        number = Region.objects.filter(parent=county).count() + 901  # apart from other factories' codes
        township = RegionFactory.create(
            code=f"{county.code}{number:03d}", name=town, kind=Kind.TOWN, parent=county
        )
    village = Region.objects.filter(parent=township, name=name).first()
    if village is None:
        number = Region.objects.filter(parent=township).count() + 1
        village = RegionFactory.create(
            code=f"{township.code}{number:03d}", name=name, kind=kind, parent=township
        )
    return village
