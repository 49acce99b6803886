"""Errors the service raises, rooted at one class so callers can catch them together.

    StormOpsError
    ├── InvalidInput       input failed validation; carries the field at fault
    │   ├── InvalidValue   one value of one field; `reason` says why without the field's name
    │   └── InvalidRow     a row with one or more bad fields, every one of them in `problems`
    ├── NotFound           no such identity, event or item in this tenant
    ├── Conflict           the request contradicts current state (e.g. merging a merged identity)
    └── ModelNotTrained    a matching model is needed but none is saved for the tenant
        └── NothingToLearn no two training records are the same person by exact identifiers

The API maps these to HTTP statuses; the CLI prints them and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence


class StormOpsError(Exception):
    """Root of every error this project raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(StormOpsError):
    """Input failed validation; `field` names the offending field when there is one."""


class InvalidValue(InvalidInput):
    """One value failed validation. The message is "<field>: <reason>"; `reason` alone is for
    reports that already name the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", field=field)
        self.reason = reason


class InvalidRow(InvalidInput):
    """A row failed validation: every bad field is in `problems` as (field, reason), and the
    message lists them all, so a caller fixes a row in one go rather than field by field."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        if not problems:
            raise ValueError("InvalidRow needs at least one problem")
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems),
                         field=problems[0][0])
        self.problems = tuple(problems)


class NotFound(StormOpsError):
    """The thing asked for does not exist in the caller's tenant."""


class Conflict(StormOpsError):
    """The request contradicts the current state of the graph."""


class ModelNotTrained(StormOpsError):
    """No saved matching model exists for the tenant."""


class NothingToLearn(ModelNotTrained):
    """Training data holds no exact duplicates, so there is no match to learn from."""
