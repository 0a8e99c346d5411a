import datetime

import factory
from factory.django import DjangoModelFactory

from tuopin.accounts.permissions import console_actor
from tuopin.assistance.tests.factories import UnitFactory
from tuopin.supervision.models import Inspection, InspectionKind, Problem


class InspectionFactory(DjangoModelFactory[Inspection]):
    class Meta:
        model = Inspection

    kind = InspectionKind.SUPERVISION
    title = factory.Sequence(lambda n: f"督查{n}")
    held_on = datetime.date(2018, 6, 1)
    created_by = factory.LazyFunction(console_actor)


class ProblemFactory(DjangoModelFactory[Problem]):
    class Meta:
        model = Problem

    inspection = factory.SubFactory(InspectionFactory)
    title = factory.Sequence(lambda n: f"问题{n}")
    responsible_unit = factory.SubFactory(UnitFactory)
    responsible_person = "张三"
    deadline = datetime.date(2018, 7, 31)
    required_rectification = "限期整改"
    created_by = factory.LazyFunction(console_actor)
