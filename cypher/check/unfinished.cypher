// What a load cut short leaves behind: stored records without a link (an ingest) and journeys
// still Stale (an events load).
// $tenant. Returns: records_without_link, stale_journeys
RETURN COUNT { MATCH (r:Record {tenant_id: $tenant}) WHERE NOT EXISTS { (r)-[:LINK]->() } }
         AS records_without_link,
       COUNT { MATCH (j:Journey:Stale) WHERE j.tenant_id = $tenant } AS stale_journeys
