"""User factories: a user of any role and region, with a known password."""

import factory
from factory.django import DjangoModelFactory, Password

from tuopin.accounts.models import Role, User

PASSWORD = "test-pass-2018"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: o.username)
    role = Role.VILLAGE
    region = None
    is_active = True
    password = Password(PASSWORD)


def admin(region=None, **kwargs) -> User:
    return UserFactory(
        role=Role.ADMIN, region=region, username=kwargs.pop("username", "admin_user"), **kwargs
    )
