import pytest
from rest_framework.authtoken.models import Token

from conftest import make_household
from tuopin.registry.models import PovertyStatus


@pytest.fixture
def households(tree):
    return {
        "a1": make_household(tree["village_a1"], no="A1-0001"),
        "a1b": make_household(tree["village_a1"], no="A1-0002", status=PovertyStatus.EXITED),
        "b1": make_household(tree["village_b1"], no="B1-0001"),
    }


@pytest.fixture
def token(users):
    """``token("village_a1")`` → the HTTP header value for that user's token."""

    def make(name: str) -> str:
        return f"Token {Token.objects.get_or_create(user=users[name])[0].key}"

    return make
