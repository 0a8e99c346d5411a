import pytest

from tuopin.accounts.models import Role, User
from tuopin.monitoring.tests import factories as f


def _user(username: str, role: str, region) -> User:
    return User.objects.create_user(username=username, password="pass-12345", role=role, region=region)


@pytest.fixture
def village(db):
    return f.village()


@pytest.fixture
def other_village(db):
    return f.village("荒田村委会", town="牛栏江镇")


@pytest.fixture
def county_user(db):
    return _user("county", Role.COUNTY, f.county())


@pytest.fixture
def township_user(village):
    return _user("xiaojie", Role.TOWNSHIP, village.parent)


@pytest.fixture
def village_user(village):
    return _user("kuanglang", Role.VILLAGE, village)


@pytest.fixture
def other_village_user(other_village):
    return _user("huangtian", Role.VILLAGE, other_village)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
