"""The stored values the parser writes or compares (poverty status, sex, the relations it counts).

The parser is free of Django, so it cannot import ``registry.models``; these constants carry the same values
and ``tests/test_parsing_constants.py`` checks that they equal the registry's choices and codes.
"""

from enum import StrEnum


class Status(StrEnum):
    """``registry.models.PovertyStatus``."""

    UNREGISTERED = "unregistered"
    POOR = "poor"
    EXITED = "exited"
    RELAPSED = "relapsed"


class Sex(StrEnum):
    """``registry.models.Sex``."""

    MALE = "male"
    FEMALE = "female"


class Relation(StrEnum):
    """Codes of the 与户主关系 code list that the cross-row checks count."""

    HEAD = "head"
    SPOUSE = "spouse"
