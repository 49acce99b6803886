"""The OpenAPI document says what every route answers: a real schema for each JSON success
(not an untyped object), the media type of the answers that are not JSON, and
problem+json for every error it documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stormops.api.app import create_app

_UNTYPED = ({}, {"type": "object"}, {"type": "object", "additionalProperties": True})
# A probe's answer, not an error: a load balancer reads {"status": "not ready"} with the 503.
_NOT_PROBLEMS = {("GET /readyz", "503")}


def _operations() -> Iterator[tuple[str, dict[str, Any]]]:
    spec = create_app().openapi()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def _untyped(schema: dict[str, Any]) -> bool:
    return {k: v for k, v in schema.items() if k != "title"} in _UNTYPED


def test_every_success_has_a_schema_or_a_media_type() -> None:
    operations = list(_operations())
    assert len(operations) >= 50
    for label, operation in operations:
        successes = [r for code, r in operation["responses"].items() if code.startswith("2")]
        assert successes, label
        for response in successes:
            content = response.get("content", {})
            assert content, label
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                assert set(content) - {"application/json"}, label
            else:
                assert not _untyped(schema), label


def test_documented_errors_are_problems() -> None:
    for label, operation in _operations():
        errors = {code: r for code, r in operation["responses"].items() if code[0] in "45"}
        for code, response in errors.items():
            if (label, code) in _NOT_PROBLEMS:
                continue
            content = response.get("content", {})
            assert list(content) == ["application/problem+json"], f"{label} {code}"
            assert {"status", "detail", "field"} <= set(
                content["application/problem+json"]["schema"]["properties"]), f"{label} {code}"
