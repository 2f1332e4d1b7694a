// FalkorDB: no constraint syntax and no IF NOT EXISTS; an index on id, created once.
CREATE INDEX FOR (n:__LABEL__) ON (n.id)
