"""Accounts built through the real model (no mocks)."""

import factory

from tuopin.accounts.models import Role, User

PASSWORD = "test-pass-2018"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:03d}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.COUNTY
    region = None
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object first
        if create:
            obj.save()


def admin(region=None, **kwargs) -> User:
    return UserFactory(
        role=Role.ADMIN, region=region, username=kwargs.pop("username", "admin_user"), **kwargs
    )
