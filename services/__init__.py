"""The composition root: every service of the product, built from `Settings` in one place.

The API's lifespan and each CLI command make one `Services` and ask it for what they use;
neither constructs graph or domain objects itself. Everything is built on first use and
imported there, so a command that needs one store loads neither the rest of the stack nor,
before it connects, the Neo4j driver (`stormops --help` stays fast).

Tenant convention: a store serves every tenant and takes the tenant first in each method
(`services.profiles.get_profile(tenant, identity_id)`); a service that acts for one tenant
is made for it here, the tenant first (`services.experiments(tenant)`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neo4j import AsyncDriver, Driver

    from stormops.attribution.engine import AttributionEngine
    from stormops.attribution.incremental import IncrementalAttribution
    from stormops.attribution.live import LiveAttribution
    from stormops.core.settings import Settings
    from stormops.experiments.platform import ExperimentsPlatform
    from stormops.experiments.reporting import IncrementalityReporter
    from stormops.graph import IdentityGraph
    from stormops.graph.aio import AsyncIdentityReader
    from stormops.graph.api_keys import Principal
    from stormops.graph.attribution import AttributionStore
    from stormops.graph.check import GraphCheck
    from stormops.graph.erasure import Erasure
    from stormops.graph.experiments import ExperimentStore
    from stormops.graph.journeys import JourneyGraph
    from stormops.graph.live import LiveStore
    from stormops.graph.mmm import MixDataStore
    from stormops.graph.profiles import AsyncProfileReader, BehavioralProfileService
    from stormops.graph.records import RecordGraph
    from stormops.graph.review import ReviewLog
    from stormops.graph.storms import StormStore
    from stormops.matching.exact import ExactLinker
    from stormops.matching.ingest import Ingest, RecordLinker
    from stormops.matching.store import ModelStore
    from stormops.mmm import MarketingMix, MixStore
    from stormops.stream import EventPublisher


class Services:
    """The services over one Neo4j database, built from settings on first use.

    Args:
        settings: read once at the entry point.
        dataframes: False for a process that never hands numpy or pandas values to the
            driver nor reads results as data frames; the driver, when not imported yet, then
            loads without them (`graph.skip_dataframe_types`), half a second sooner.
        observe: called with (query name, seconds) by the async reader (the API's metrics).
        driver: an open driver to use instead of one of its own (the caller closes it).

    The drivers open on first use and close with `close()` (or the `with` block).
    """

    def __init__(self, settings: Settings, *, dataframes: bool = True,
                 observe: Callable[[str, float], None] | None = None,
                 driver: Driver | None = None) -> None:
        if not dataframes:
            from stormops.graph import skip_dataframe_types

            skip_dataframe_types()
        self.settings = settings
        self.database = settings.neo4j_database
        self.region = settings.phone_region
        self._observe = observe
        self._owns_driver = driver is None
        if driver is not None:
            self.__dict__["driver"] = driver  # the cached `driver` property's slot

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close what was opened: the publisher, then the drivers (the async one is closed by
        `aclose`)."""
        if "publisher" in self.__dict__ and self.publisher is not None:
            self.publisher.close()
        if self._owns_driver and "driver" in self.__dict__:
            self.driver.close()

    async def aclose(self) -> None:
        """`close()`, and the async driver when it was opened."""
        self.close()
        if "async_driver" in self.__dict__:
            await self.async_driver.close()

    # -- connections -------------------------------------------------------------------------

    @cached_property
    def driver(self) -> Driver:
        from stormops.graph import open_driver

        return open_driver(self.settings)

    @cached_property
    def async_driver(self) -> AsyncDriver:
        from stormops.graph import open_async_driver

        return open_async_driver(self.settings)

    def apply_schema(self) -> int:
        """Create the constraints and indexes (idempotent); returns how many statements ran."""
        from stormops.graph import apply_schema

        return apply_schema(self.driver, self.database)

    async def schema_applied(self) -> bool:
        from stormops.graph import schema_applied_async

        return await schema_applied_async(self.async_driver, self.database)

    def warm_up(self) -> int:
        from stormops.graph import warm_up

        return warm_up(self.driver, self.database)

    async def warm_up_async(self) -> None:
        from stormops.graph import warm_up_async

        await warm_up_async(self.async_driver, self.database)

    def delete_tenant(self, tenant: str) -> None:
        from stormops.graph import delete_tenant

        delete_tenant(self.driver, self.database, tenant)

    def digest(self) -> dict[str, Any]:
        """A digest of the whole graph, equal for equal contents (backups compare it)."""
        from stormops.graph.digest import graph_digest

        return graph_digest(self.driver, self.database)

    # -- stores: every tenant, the tenant first in each call ------------------------------

    @cached_property
    def identities(self) -> IdentityGraph:
        from stormops.graph import IdentityGraph

        return IdentityGraph(self.driver, self.database, self.region)

    @cached_property
    def records(self) -> RecordGraph:
        from stormops.graph.records import RecordGraph
        from stormops.matching.normalize import RECORD_COLUMNS

        return RecordGraph(self.driver, self.database, self.region, columns=RECORD_COLUMNS)

    @cached_property
    def models(self) -> ModelStore:
        from stormops.matching.store import ModelStore

        return ModelStore(self.settings.model_dir)

    @cached_property
    def linker(self) -> RecordLinker:
        """Links one record at a time (the API, `stormops ingest --online`)."""
        from stormops.matching.ingest import RecordLinker

        return RecordLinker(self.records, self.models, policy=self.settings.invalid_values)

    @cached_property
    def ingest(self) -> Ingest:
        """Links a file of records in bulk."""
        from stormops.matching.ingest import Ingest

        return Ingest(self.records, self.models)

    @cached_property
    def exact(self) -> ExactLinker:
        """Links by exact identifiers only (`stormops link`)."""
        from stormops.matching.exact import ExactLinker

        return ExactLinker(self.records, self.models)

    @cached_property
    def journeys(self) -> JourneyGraph:
        from stormops.graph.journeys import JourneyGraph

        return JourneyGraph(self.driver, self.database, self.region)

    @cached_property
    def profiles(self) -> BehavioralProfileService:
        from stormops.graph.profiles import BehavioralProfileService

        return BehavioralProfileService(self.driver, self.database, self.region)

    @cached_property
    def storms(self) -> StormStore:
        from stormops.graph.storms import StormStore

        return StormStore(self.driver, self.database)

    @cached_property
    def review(self) -> ReviewLog:
        from stormops.graph.review import ReviewLog

        return ReviewLog(self.driver, self.database)

    @cached_property
    def erasure(self) -> Erasure:
        from stormops.graph.erasure import Erasure

        return Erasure(self.driver, self.database)

    @cached_property
    def check(self) -> GraphCheck:
        from stormops.graph.check import GraphCheck

        return GraphCheck(self.driver, self.database)

    @cached_property
    def attribution_store(self) -> AttributionStore:
        from stormops.graph.attribution import AttributionStore

        return AttributionStore(self.driver, self.database)

    @cached_property
    def experiment_store(self) -> ExperimentStore:
        from stormops.graph.experiments import ExperimentStore

        return ExperimentStore(self.driver, self.database)

    @cached_property
    def live_store(self) -> LiveStore:
        from stormops.graph.live import LiveStore

        return LiveStore(self.driver, self.database)

    @cached_property
    def mix_data(self) -> MixDataStore:
        from stormops.graph.mmm import MixDataStore

        return MixDataStore(self.driver, self.database)

    @cached_property
    def mix_store(self) -> MixStore:
        from stormops.mmm.store import MixStore

        return MixStore(self.settings.model_dir)

    @cached_property
    def publisher(self) -> EventPublisher | None:
        """Where `POST /v1/events` publishes, when events go through Kafka."""
        if not self.settings.events_via_kafka:
            return None
        from stormops.stream import EventPublisher

        return EventPublisher(self.settings.kafka_bootstrap, self.settings.events_topic)

    # -- API keys ----------------------------------------------------------------------------

    def create_key(self, tenant: str, role: str, label: str | None = None) -> str:
        """A new key for the tenant with the role; returned once, stored hashed."""
        from stormops.graph.api_keys import create_api_key

        return create_api_key(self.driver, self.database, tenant, role, label)

    def keys(self, tenant: str) -> list[dict[str, Any]]:
        from stormops.graph.api_keys import list_api_keys

        return list_api_keys(self.driver, self.database, tenant)

    def revoke_key(self, tenant: str, key_id: str) -> dict[str, Any]:
        from stormops.graph.api_keys import revoke_api_key

        return revoke_api_key(self.driver, self.database, tenant, key_id)

    async def principal(self, key: str) -> Principal | None:
        """Who an API key is (tenant and role), or None for an unknown or revoked key."""
        from stormops.graph.api_keys import lookup_api_key

        return await lookup_api_key(self.async_driver, self.database, key)

    # -- async reads (the API) ---------------------------------------------------------------

    @cached_property
    def reader(self) -> AsyncIdentityReader:
        from stormops.graph.aio import AsyncIdentityReader

        return AsyncIdentityReader(self.async_driver, self.database, self.region,
                                   self._observe)

    @cached_property
    def profile_reader(self) -> AsyncProfileReader:
        from stormops.graph.profiles import AsyncProfileReader

        return AsyncProfileReader(self.async_driver, self.database)

    # -- services bound to one tenant ------------------------------------------------------

    def experiments(self, tenant: str) -> ExperimentsPlatform:
        from stormops.experiments.platform import ExperimentsPlatform

        return ExperimentsPlatform(tenant, store=self.experiment_store, storms=self.storms)

    def incrementality(self, tenant: str) -> IncrementalityReporter:
        from stormops.experiments.reporting import IncrementalityReporter

        return IncrementalityReporter(self.experiments(tenant))

    def attribution(self, tenant: str, config: Any = None) -> AttributionEngine:
        """The tenant's attribution under `config` (None: its stored config)."""
        from stormops.attribution.engine import AttributionEngine

        return AttributionEngine(tenant, config, store=self.attribution_store)

    def incremental_attribution(self, tenant: str) -> IncrementalAttribution:
        from stormops.attribution.incremental import IncrementalAttribution

        return IncrementalAttribution(self.attribution(tenant), self.experiments(tenant))

    def live(self, tenant: str) -> LiveAttribution:
        """The tenant's live attribution; its dashboard reports the live consumer group's lag."""
        from stormops.attribution.live import LiveAttribution

        return LiveAttribution(tenant, journeys=self.journeys, store=self.live_store,
                               attribution=self.attribution_store, profiles=self.profiles,
                               experiments=self.experiments(tenant),
                               stream=(self.settings.live_group, self.settings.events_topic))

    def mix(self, tenant: str) -> MarketingMix:
        from stormops.mmm import MarketingMix

        return MarketingMix(tenant, data=self.mix_data, store=self.mix_store,
                            experiments=self.experiments(tenant))
