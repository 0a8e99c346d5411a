"""The one exception type services raise for refusals a user can act on."""


class ApplicationError(Exception):
    """A refused use case. ``message`` is Chinese text for the user; ``field`` names the offending field.

    ``errors`` maps field names to messages when several fields are wrong at once.
    """

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.errors = errors or ({field: [self.message]} if field else {})


class PermissionDeniedError(ApplicationError):
    """The user's role or jurisdiction does not allow this change."""


class StaleEditError(ApplicationError):
    """The record changed since the form was opened. ``changes`` maps each field another user changed to
    ``(value when the form was opened, value now)`` so the page can show them and let the user re-apply."""

    def __init__(self, message: str, *, changes: dict[str, tuple[object, object]] | None = None):
        super().__init__(message)
        self.changes = changes or {}
