// The applied schema version. Returns: version (null when never applied).
OPTIONAL MATCH (v:SchemaVersion {name: 'stormops'})
RETURN v.version AS version
