"""Hostile input at the door: oversized bodies refused unread, control characters refused
(in an identifier always; in another value as the validation policy says)."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import httpx

from stormops.core.settings import Settings
from tests.api.conftest import TenantKeys
from tests.api.test_endpoints import _problem, h

LIMIT = Settings().max_body_bytes  # the server under test reads the same settings


def test_a_declared_50_mb_body_is_refused_before_it_is_sent(api_url: str,
                                                           keys: TenantKeys) -> None:
    """Only the headers and a first kilobyte are sent: a server that waited for the body
    before answering would never answer, and the read below would time out."""
    url = urlparse(api_url)
    request = (f"POST /v1/records HTTP/1.1\r\nHost: {url.netloc}\r\n"
               f"Content-Type: application/json\r\nX-API-Key: {keys.service}\r\n"
               f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode() + b"{" + b" " * 1023
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(request)
        head = sock.recv(65536).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head[:200]
    assert "application/problem+json" in head


def test_a_streamed_body_is_cut_off_at_the_limit(client: httpx.Client, keys: TenantKeys) -> None:
    def chunks():
        yield b'{"email": "'
        for _ in range(LIMIT // 65536 + 2):
            yield b"a" * 65536
        yield b'@x.co"}'

    response = client.post("/v1/records", content=chunks(), headers={
        **h(keys.service), "Content-Type": "application/json"})
    _problem(response, 413, "body")


def test_control_characters_in_identifiers_are_refused(client: httpx.Client,
                                                       keys: TenantKeys) -> None:
    svc = h(keys.service)
    _problem(client.post("/v1/records", json={"email": "jo\u0000@x.co"}, headers=svc), 422,
             "email")
    escaped = {"record_id": "r1", "first_name": "Jo\x1b[2J", "email": "jo@x.co"}
    _problem(client.post("/v1/records?invalid=reject", json=escaped, headers=svc), 422,
             "first_name")
    resolved = client.post("/v1/resolve", json={"type": "email", "value": "jo\u0000@x.co"},
                           headers=svc)
    _problem(resolved, 422)
    event = {"event_id": "e\u0000", "storm_id": "S1", "channel": "sms",
             "ts": "2024-05-01T00:00:00", "identifiers": {"email": "jo@x.co"}}
    _problem(client.post("/v1/events", json=event, headers=svc), 422, "event_id")
    assert client.post("/v1/resolve", json={"type": "email", "value": "jo@x.co"},
                       headers=svc).json()["identity_id"] is None, "nothing was stored"
    kept = client.post("/v1/records?invalid=null", json=escaped, headers=svc)
    assert kept.status_code == 200, kept.text
    assert [p["field"] for p in kept.json()["problems"]] == ["first_name"]
    assert "first_name" in kept.json()["extra"], "the refused text is kept aside, not lost"
