"""The HTTP service: resolve identifiers, link records, audit and review merges."""

from stormops.api.app import create_app

__all__ = ["create_app"]
