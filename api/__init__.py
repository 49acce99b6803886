"""The HTTP service: resolve identifiers, link records, audit and review merges."""

from api.app import create_app

__all__ = ["create_app"]
