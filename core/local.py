"""The local set-up, apart from the settings so a command can name it without loading
pydantic: the checkout's root (deploy/, and the .neo4j, .kafka and .models folders) and the
password of the local Neo4j."""

from pathlib import Path

LOCAL_PASSWORD = "stormops-local"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
