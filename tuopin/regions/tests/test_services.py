"""Regions: the tree is built with its levels, paths and parent rules; the seed's tree loads once."""

import json
from pathlib import Path

import pytest

from tuopin.core.errors import ApplicationError
from tuopin.regions.models import KIND_LEVEL, Kind, Level, Region
from tuopin.regions.services import region_create, region_tree_load
from tuopin.regions.tests.factories import RegionFactory, county_tree

pytestmark = pytest.mark.django_db

SEED_TREE = Path(__file__).resolve().parents[1] / "data" / "songming.json"


def test_create_sets_level_and_path_from_the_parent():
    county = region_create(code="530188000000", name="甲县", kind=Kind.COUNTY, parent=None)
    street = region_create(code="530188001000", name="城关街道", kind=Kind.SUBDISTRICT, parent=county)
    community = region_create(
        code="530188001001", name="东门社区", kind=Kind.RESIDENTS_COMMITTEE, parent=street
    )
    group = region_create(code="530188001001001", name="一组", kind=Kind.VILLAGE_GROUP, parent=community)
    assert [r.level for r in (county, street, community, group)] == [
        Level.COUNTY,
        Level.TOWNSHIP,
        Level.VILLAGE,
        Level.GROUP,
    ]
    assert group.path == "530188000000/530188001000/530188001001/530188001001001/"
    assert group.full_name == "城关街道东门社区一组"
    assert group.ancestor_at(Level.TOWNSHIP) == street
    assert group.ancestor_at(Level.COUNTY) == county
    assert street.ancestor_at(Level.VILLAGE) is None


@pytest.mark.parametrize(
    ("kind", "parent_key", "message"),
    [
        (Kind.COUNTY, "county", "只有县级区划没有上级"),
        (Kind.TOWN, None, "只有县级区划没有上级"),
        (Kind.VILLAGE_COMMITTEE, "county", "上级层级不正确"),  # a village straight under the county
        (Kind.NATURAL_VILLAGE, "township", "上级层级不正确"),
    ],
)
def test_a_region_in_the_wrong_place_is_refused_and_nothing_is_stored(kind, parent_key, message):
    tree = county_tree()
    parent = {"county": tree["county"], "township": tree["townships"][0], None: None}[parent_key]
    before = Region.objects.count()
    with pytest.raises(ApplicationError, match=message):
        region_create(code="530177000001", name="错位区划", kind=kind, parent=parent)
    assert Region.objects.count() == before


def test_querysets_select_within_a_region_and_by_level():
    tree = county_tree()
    township = tree["townships"][0]
    assert set(Region.objects.within(township)) == {township, *tree["villages"][:2]}
    assert set(Region.objects.within(tree["county"]).townships()) == set(tree["townships"])
    assert set(Region.objects.within(township).villages()) == set(tree["villages"][:2])


def test_every_kind_has_a_level_and_the_factory_follows_the_service():
    assert set(KIND_LEVEL) == set(Kind)
    county = RegionFactory.create(code="530166000000", kind=Kind.COUNTY)
    made = RegionFactory.create(code="530166001000", kind=Kind.SUBDISTRICT, parent=county)
    built = region_create(code="530166002000", name="对照街道", kind=Kind.SUBDISTRICT, parent=county)
    assert (made.level, made.path.removesuffix("530166001000/")) == (
        built.level,
        built.path.removesuffix("530166002000/"),
    )


def test_the_seed_tree_loads_once_with_its_counts():
    data = json.loads(SEED_TREE.read_text(encoding="utf-8"))
    villages = sum(len(t.get("villages", [])) for t in data["townships"])
    county = region_tree_load(data=data)
    assert county.name == "嵩明县"
    assert Region.objects.within(county).townships().count() == len(data["townships"])
    assert Region.objects.within(county).villages().count() == villages
    total = Region.objects.count()
    assert region_tree_load(data=data) == county  # a second load keeps what exists
    assert Region.objects.count() == total


def test_inferred_parents_are_noted_in_the_source():
    data = {
        "county": {"code": "530155000000", "name": "注记县", "kind": "county"},
        "townships": [
            {
                "code": "530155001000",
                "name": "注记镇",
                "kind": "town",
                "source": "seed",
                "villages": [
                    {
                        "code": "530155001001",
                        "name": "注记村委会",
                        "kind": "village_committee",
                        "source": "seed",
                        "township_inferred": True,
                    }
                ],
            }
        ],
    }
    region_tree_load(data=data)
    assert Region.objects.get(code="530155001001").source == "seed（所属镇街为推定）"
    assert Region.objects.get(code="530155001000").source == "seed"
