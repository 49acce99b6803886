"""A domain error's HTTP status follows its class hierarchy."""

from __future__ import annotations

from stormops.api.problems import status_of
from stormops.core.errors import (
    Conflict,
    InvalidInput,
    InvalidRow,
    InvalidValue,
    ModelNotTrained,
    NotFound,
    NothingToLearn,
    StormOpsError,
)
from stormops.stream import StreamUnavailable


def test_each_error_answers_with_its_own_status() -> None:
    assert status_of(InvalidInput("x")) == 422
    assert status_of(NotFound("x")) == 404
    assert status_of(Conflict("x")) == 409
    assert status_of(ModelNotTrained("x")) == 409
    assert status_of(StreamUnavailable("x")) == 503


def test_a_subclass_answers_as_its_parent() -> None:
    assert status_of(NothingToLearn("x")) == status_of(ModelNotTrained("x")) == 409
    assert status_of(InvalidValue("email", "bad")) == 422
    assert status_of(InvalidRow([("email", "bad")])) == 422

    class Gone(NotFound):
        pass

    assert status_of(Gone("x")) == 404


def test_an_error_without_a_status_of_its_own_is_a_bad_request() -> None:
    assert status_of(StormOpsError("x")) == 400
