"""A small typed client of the StormOps HTTP API, as the console uses it.

Every call carries the signed-in key in `X-API-Key`; every problem+json answer becomes one
`ApiError` holding the server's own message, so pages show what the API said.
"""

from __future__ import annotations

from typing import Any

import httpx

API_TIMEOUT = 30.0


class ApiError(Exception):
    """An error answer of the API (or no answer at all: status 0).

    Attributes:
        status: HTTP status (0 when the API could not be reached).
        detail: the problem's `detail`, the message a person should read.
        field: the request field at fault, when the API named one.
    """

    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field

    @property
    def signed_out(self) -> bool:
        """The key is unknown or revoked: the console must sign out."""
        return self.status == 401


def _query(params: dict[str, Any]) -> dict[str, Any]:
    """Query parameters without the unset ones."""
    return {name: value for name, value in params.items() if value not in (None, "")}


class ApiClient:
    """The API as seen by one key.

    Args:
        base_url: where the API listens, e.g. http://127.0.0.1:8000.
        api_key: the key to send; it decides the tenant and the role.
        http: an httpx client to reuse (one per console session keeps connections warm).

    Example:
        >>> api = ApiClient("http://127.0.0.1:8000", key)  # doctest: +SKIP
        >>> api.me()["role"]  # doctest: +SKIP
        'reviewer'
    """

    def __init__(self, base_url: str, api_key: str, http: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self._http = http or httpx.Client(timeout=API_TIMEOUT)

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                json: Any = None) -> Any:
        """One call; the decoded JSON answer, or ApiError with the API's message."""
        try:
            response = self._http.request(
                method, f"{self.base_url}{path}", params=_query(params or {}), json=json,
                headers={"X-API-Key": self._key})
        except httpx.TransportError as exc:
            raise ApiError(0, f"the API at {self.base_url} is not reachable ({exc})") from exc
        if response.is_success:
            return response.json()
        self._raise(response)

    @staticmethod
    def _raise(response: httpx.Response) -> None:
        """The error answer as ApiError with the API's message."""
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        raise ApiError(response.status_code,
                       str(problem.get("detail") or response.reason_phrase or "error"),
                       problem.get("field"))

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body)

    def text(self, path: str, **params: Any) -> bytes:
        """A non-JSON answer (an HTML report) as bytes, or ApiError as `request` raises."""
        try:
            response = self._http.get(f"{self.base_url}{path}", params=_query(params),
                                      headers={"X-API-Key": self._key})
        except httpx.TransportError as exc:
            raise ApiError(0, f"the API at {self.base_url} is not reachable ({exc})") from exc
        if not response.is_success:
            self._raise(response)
        return response.content

    # The routes the core pages use; other pages call `get`/`post` with their paths.

    def me(self) -> dict[str, Any]:
        """The key's tenant and role (GET /v1/me)."""
        return self.get("/v1/me")

    def review_queue(self, *, status: str = "open", offset: int = 0, limit: int = 20,
                     reason: str | None = None, identity_id: str | None = None,
                     min_probability: float | None = None,
                     max_probability: float | None = None) -> dict[str, Any]:
        """A page of review items, oldest first: {"items", "next_offset", "total"}."""
        return self.get("/v1/review", status=status, offset=offset, limit=limit, reason=reason,
                        identity_id=identity_id, min_probability=min_probability,
                        max_probability=max_probability)

    def review_item(self, item_id: str) -> dict[str, Any]:
        """One review item with both sides and its match-weight waterfall."""
        return self.get(f"/v1/review/{item_id}")

    def decide(self, item_id: str, decision: str, reason: str) -> dict[str, Any]:
        """Approve (merge) or reject (cannot-link) a review item."""
        return self.post(f"/v1/review/{item_id}", {"decision": decision, "reason": reason})

    def merge_log(self, *, actor: str | None = None, kind: str | None = None,
                  since: str | None = None, until: str | None = None, offset: int = 0,
                  limit: int = 50) -> dict[str, Any]:
        """The tenant's merges and unmerges, newest first."""
        return self.get("/v1/merges", actor=actor, kind=kind, since=since, until=until,
                        offset=offset, limit=limit)

    def history(self, identity_id: str) -> dict[str, Any]:
        """One identity's merge and unmerge events, newest first."""
        return self.get(f"/v1/identities/{identity_id}/history")

    def identity(self, identity_id: str) -> dict[str, Any]:
        """An identity's profile: identifiers, records, properties, history."""
        return self.get(f"/v1/identities/{identity_id}")

    def merge(self, into: str, other: str, reason: str, *, override: bool = False
              ) -> dict[str, Any]:
        """Merge `other` into `into`; `override` merges a pair marked as different people."""
        return self.post("/v1/merges", {"into": into, "other": other, "reason": reason,
                                        "override_cannot_link": override})

    def undo(self, event_id: str, reason: str) -> dict[str, Any]:
        """Undo a merge exactly."""
        return self.post(f"/v1/merges/{event_id}/undo", {"reason": reason})
