"""An outage is told from a fault by the failure itself: the server away is waited out, a
write the data breaks is not (the stream consumer splits its batch on it instead)."""

from __future__ import annotations

import uuid

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import ServiceUnavailable

from stormops.core.errors import InvalidInput
from stormops.core.settings import Settings
from stormops.graph import transient_failure


def test_a_server_that_does_not_answer_is_an_outage(settings: Settings) -> None:
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver("bolt://127.0.0.1:1", auth=auth) as nowhere:
        with pytest.raises(ServiceUnavailable) as failed:
            nowhere.verify_connectivity()
    assert transient_failure(failed.value)


def test_a_write_the_data_breaks_is_a_fault(driver: Driver, settings: Settings,
                                            tenant: str) -> None:
    key = f"{tenant}|email|{uuid.uuid4().hex}@example.com"
    create = "CREATE (:Identifier {key: $key, tenant_id: $tenant})"
    driver.execute_query(create, key=key, tenant=tenant, database_=settings.neo4j_database)
    with pytest.raises(Exception) as failed:  # the uniqueness constraint on the key
        driver.execute_query(create, key=key, tenant=tenant, database_=settings.neo4j_database)
    assert "already exists" in str(failed.value)
    assert not transient_failure(failed.value)
    assert not transient_failure(InvalidInput("bad", field="ts"))
    assert not transient_failure(TypeError("a bug"))
