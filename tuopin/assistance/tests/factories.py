"""factory_boy factories for the assistance structure (regions, users and households come from the root
conftest fixtures)."""

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.assistance.models import (
    CadrePairing,
    Headquarters,
    Measure,
    SubCommand,
    TeamMember,
    Unit,
    UnitKind,
    UnitPairing,
    Visit,
    WorkTeam,
)

_n = itertools.count(1)


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.COUNTY_UNIT


class CadreFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"cadre_f{n}")
    full_name = factory.Sequence(lambda n: f"帮扶干部{n}")
    role = Role.CADRE
    password = factory.django.Password("test-pass-2018")


class PairingFactory(DjangoModelFactory[CadrePairing]):
    """A current pairing written straight to the table (tests of the service use the service)."""

    class Meta:
        model = CadrePairing
        skip_postgeneration_save = True

    cadre = factory.SubFactory(CadreFactory)
    start_date = datetime.date(2018, 1, 1)

    @factory.post_generation
    def sync(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's hook signature
        obj.household.responsible_cadre = obj.cadre
        obj.household.save(update_fields=["responsible_cadre"])


class VisitFactory(DjangoModelFactory[Visit]):
    class Meta:
        model = Visit

    visited_on = datetime.date(2018, 7, 1)
    met = "户主"
    findings = "情况正常"


class WorkTeamFactory(DjangoModelFactory[WorkTeam]):
    class Meta:
        model = WorkTeam
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"工作队{n}")

    @factory.post_generation
    def villages(obj, create, extracted, **kwargs):  # noqa: N805
        for village in extracted or ():
            obj.villages.add(village)


class TeamMemberFactory(DjangoModelFactory[TeamMember]):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(WorkTeamFactory)
    name = factory.Sequence(lambda n: f"队员{n}")
    start_date = datetime.date(2018, 1, 1)


class HeadquartersFactory(DjangoModelFactory[Headquarters]):
    class Meta:
        model = Headquarters
        django_get_or_create = ("name",)

    name = "测试县脱贫攻坚指挥部"


class SubCommandFactory(DjangoModelFactory[SubCommand]):
    class Meta:
        model = SubCommand

    headquarters = factory.SubFactory(HeadquartersFactory)
    name = factory.Sequence(lambda n: f"分指挥部{n}")
    order = factory.Sequence(int)


class MeasureFactory(DjangoModelFactory[Measure]):
    class Meta:
        model = Measure

    description = factory.Sequence(lambda n: f"帮扶措施{n}")
    responsible = "帮扶责任人"
    due_on = datetime.date(2018, 12, 31)
    created_by = factory.LazyFunction(console_actor)


class UnitPairingFactory(DjangoModelFactory[UnitPairing]):
    """A pairing unit's current pairing with a village or group (``region``)."""

    class Meta:
        model = UnitPairing

    unit = factory.SubFactory(UnitFactory)
    start_date = datetime.date(2018, 7, 1)
