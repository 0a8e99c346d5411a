"""The Django-free parser's constants carry the registry's stored values."""

from tuopin.imports.parsing.constants import Relation, Sex, Status
from tuopin.imports.parsing.layout import SEX_CHOICES, STATUS_CHOICES
from tuopin.imports.tests.conftest import PASSWORD
from tuopin.registry import codes
from tuopin.registry.models import CodeList, PovertyStatus
from tuopin.registry.models import Sex as RegistrySex


def test_status_constants_are_the_poverty_statuses():
    assert {status.value for status in Status} == set(PovertyStatus.values)
    for status in Status:
        assert PovertyStatus(status.value) == status


def test_sex_constants_are_the_registry_sexes():
    assert {sex.value for sex in Sex} == set(RegistrySex.values)


def test_layout_labels_are_the_registry_labels():
    assert dict(STATUS_CHOICES) == {value: str(label) for value, label in PovertyStatus.choices}
    assert dict(SEX_CHOICES) == {value: str(label) for value, label in RegistrySex.choices}


def test_relation_constants_are_codes_of_the_relation_list(db):
    for relation in Relation:
        assert codes.is_valid(CodeList.RELATION, relation.value, None), relation


def test_fixture_users_log_in_with_the_known_password(county_user):
    assert county_user.check_password(PASSWORD)
