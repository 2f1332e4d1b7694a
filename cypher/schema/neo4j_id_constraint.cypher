// Neo4j 5: ids are unique per label within a dataset (each dataset owns its nodes).
CREATE CONSTRAINT IF NOT EXISTS FOR (n:__LABEL__) REQUIRE (n.id, n._dataset) IS UNIQUE
