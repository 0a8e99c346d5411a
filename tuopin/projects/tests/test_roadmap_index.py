"""The 施工图 index: a village appears when its projects are placed in its natural villages / groups."""

from decimal import Decimal

from django.urls import reverse

from tuopin.accounts.models import Role
from tuopin.accounts.tests.factories import UserFactory
from tuopin.projects import selectors
from tuopin.projects.tests.factories import ProgrammeFactory, ProjectFactory
from tuopin.regions.models import Kind, Level
from tuopin.regions.tests.factories import RegionFactory, county_tree


def _tree_with_group_projects():
    tree = county_tree("施工县")
    village, other = tree["villages"][0], tree["villages"][2]
    group = RegionFactory(
        code=f"{village.code}001", name="上小组", kind=Kind.NATURAL_VILLAGE, level=Level.GROUP, parent=village
    )
    programme = ProgrammeFactory()
    for amount in ("3000000.00", "3590000.00"):
        ProjectFactory(
            programme=programme, region=group, investment=Decimal(amount), name=f"小组项目{amount}"
        )
    ProjectFactory(programme=programme, region=other, name="另一村的项目")
    return tree, village, other, programme.plan


def test_a_village_user_finds_their_village_through_its_groups_projects(client, db):
    _tree, village, _other, plan = _tree_with_group_projects()
    user = UserFactory.create(role=Role.VILLAGE, region=village)
    assert [v.pk for v in selectors.villages_with_projects(user=user, plan=plan)] == [village.pk]
    client.force_login(user)
    page = client.get(reverse("projects:roadmaps"), {"plan": plan.version}).content.decode()
    assert reverse("projects:construction", args=[village.pk]) in page
    assert "辖区内没有安排项目的村" not in page
    construction = client.get(reverse("projects:construction", args=[village.pk]), {"plan": plan.version})
    text = construction.content.decode()
    assert "小组项目3000000.00" in text
    assert "小组项目3590000.00" in text
    assert "659.00" in text  # 300 + 359 万元, two decimals


def test_the_county_list_rolls_up_child_regions(db):
    tree, village, other, plan = _tree_with_group_projects()
    user = UserFactory.create(role=Role.COUNTY, region=tree["county"])
    names = [v.pk for v in selectors.villages_with_projects(user=user, plan=plan)]
    assert names == [village.pk, other.pk]
    township_user = UserFactory.create(role=Role.TOWNSHIP, region=tree["townships"][1])
    assert [v.pk for v in selectors.villages_with_projects(user=township_user, plan=plan)] == [other.pk]
