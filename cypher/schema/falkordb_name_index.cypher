// FalkorDB: an index on name, created once.
CREATE INDEX FOR (n:__LABEL__) ON (n.name)
