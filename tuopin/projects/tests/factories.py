"""Project factories: a plan, a programme of it, and projects placed anywhere in the region tree."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tuopin.projects.models import Plan, Programme, Project


class PlanFactory(DjangoModelFactory[Plan]):
    class Meta:
        model = Plan
        django_get_or_create = ("version",)

    version = factory.Sequence(lambda n: f"test-plan-{n}")
    title = "测试县脱贫攻坚规划"
    year_from = 2016
    year_to = 2020


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"测试工程{n}")


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"测试项目{n}")
    region = None
    year_from = 2018
    year_to = 2018
    investment = Decimal("100000.00")
