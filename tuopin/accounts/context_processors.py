"""``can`` in every template: ``{% if can.assessment.view_county_indicators %}`` asks ``may(user, name)`` for
actions without a target (navigation, page-wide controls). Object-level answers come from the view."""

from tuopin.accounts.permissions import ACTIONS, may


class _AppActions:
    def __init__(self, user, app: str):
        self._user, self._app = user, app

    def __getitem__(self, verb: str) -> bool:
        name = f"{self._app}.{verb}"
        if name not in ACTIONS:
            raise KeyError(name)
        return may(self._user, name)


class _Can:
    def __init__(self, user):
        self._user = user

    def __getitem__(self, app: str) -> _AppActions:
        return _AppActions(self._user, app)


def permissions(request) -> dict:
    return {"can": _Can(getattr(request, "user", None))}
