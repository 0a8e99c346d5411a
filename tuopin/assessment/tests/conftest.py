import pytest

from tuopin.assessment.tests import factories


@pytest.fixture
def village(db):
    return factories.village()
