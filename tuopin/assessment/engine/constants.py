"""Stored values the engine compares with, Django-free. They equal the registry's and regions' choices
(``registry.models.PovertyStatus``, ``regions.models.Level``); a test checks that they do."""

from __future__ import annotations

# 脱贫状态 (registry.models.PovertyStatus)
UNREGISTERED = "unregistered"
POOR = "poor"
EXITED = "exited"
RELAPSED = "relapsed"
NOT_EXITED: tuple[str, ...] = (POOR, RELAPSED)

# 户主 (registry code list ``relation``)
HEAD = "head"

# region levels (regions.models.Level)
LEVEL_COUNTY = 1
LEVEL_TOWNSHIP = 2
LEVEL_VILLAGE = 3

# data-quality severities (assessment.models.Severity)
CRITICAL = "critical"
WARNING = "warning"
INFO = "info"
