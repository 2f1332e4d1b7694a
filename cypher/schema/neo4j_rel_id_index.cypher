// Neo4j 5: an index on the id of one relationship type, so that a reload's undo finds relationships fast.
CREATE INDEX IF NOT EXISTS FOR ()-[r:__TYPE__]-() ON (r.id)
