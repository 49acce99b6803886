"""The StormOps console: a Streamlit app for reviewers, analysts and storm managers.

It is a client of the HTTP API only (`console.client`); no page reads Neo4j.
"""

from stormops.console.client import ApiClient, ApiError

__all__ = ["ApiClient", "ApiError"]
