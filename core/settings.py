"""Runtime settings, read once from the environment at the entry point and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from stormops.core.errors import InvalidInput
from stormops.core.local import LOCAL_PASSWORD, PROJECT_ROOT
from stormops.core.normalize import normalize_country


class Settings(BaseSettings):
    """Neo4j connection (conventional NEO4J_* names), local-server options and the event
    stream (STORMOPS_*: Kafka ports and home, bootstrap servers, topics, consumer group, and
    whether `POST /v1/events` publishes to the topic instead of writing)."""

    model_config = SettingsConfigDict(env_prefix="STORMOPS_", env_ignore_empty=True, extra="ignore")

    env: str = "local"
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr = Field(
        default=SecretStr(LOCAL_PASSWORD), validation_alias="NEO4J_PASSWORD"
    )
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
    bolt_port: int = 7687
    http_port: int = 7474
    neo4j_home: Path = PROJECT_ROOT / ".neo4j"
    neo4j_heap: str = "2g"
    neo4j_pagecache: str = "2g"
    model_dir: Path = PROJECT_ROOT / ".models"
    phone_region: str = Field(default="US", validation_alias=AliasChoices(
        "STORMOPS_COUNTRY", "STORMOPS_PHONE_REGION"))
    """The country (ISO 3166 alpha-2) of values that do not say theirs: phone numbers without
    a country code, postcodes. "none" when unknown: such values are then kept as written."""
    invalid_values: Literal["null", "reject"] = "null"
    """The validation policy's default: null a bad value and keep the row, or reject it."""
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_home: Path = PROJECT_ROOT / ".kafka"
    kafka_heap: str = "512m"
    kafka_bootstrap: str | None = None
    events_topic: str = "stormops.events"
    dead_letter_topic: str = "stormops.events.dead"
    events_partitions: int = Field(default=4, ge=1, le=256)
    events_via_kafka: bool = False
    live_group: str = "stormops-live"
    # The API refuses larger request bodies (413); 1,000 events or identifiers fit.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    api_url: str = "http://127.0.0.1:8000"
    """Where the console finds the HTTP API."""

    @model_validator(mode="after")
    def _derive_and_check(self) -> Settings:
        try:
            self.phone_region = normalize_country(self.phone_region, "STORMOPS_COUNTRY") or ""
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
        if self.neo4j_uri is None:
            self.neo4j_uri = f"bolt://127.0.0.1:{self.bolt_port}"
        if self.kafka_bootstrap is None:
            self.kafka_bootstrap = f"127.0.0.1:{self.kafka_port}"
        if self.env != "local" and self.neo4j_password.get_secret_value() == LOCAL_PASSWORD:
            raise ValueError("NEO4J_PASSWORD must be set to a real secret outside local use")
        return self
