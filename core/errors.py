"""Errors the service raises, rooted at one class so callers can catch them together.

    StormOpsError
    ├── InvalidInput       input failed validation; carries the field at fault
    ├── NotFound           no such identity, event or item in this tenant
    ├── Conflict           the request contradicts current state (e.g. merging a merged identity)
    └── ModelNotTrained    a matching model is needed but none is saved for the tenant
        └── NothingToLearn no two training records are the same person by exact identifiers

The API maps these to HTTP statuses; the CLI prints them and exits non-zero.
"""

from __future__ import annotations


class StormOpsError(Exception):
    """Root of every error this project raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(StormOpsError):
    """Input failed validation; `field` names the offending field when there is one."""


class NotFound(StormOpsError):
    """The thing asked for does not exist in the caller's tenant."""


class Conflict(StormOpsError):
    """The request contradicts the current state of the graph."""


class ModelNotTrained(StormOpsError):
    """No saved matching model exists for the tenant."""


class NothingToLearn(ModelNotTrained):
    """Training data holds no exact duplicates, so there is no match to learn from."""
