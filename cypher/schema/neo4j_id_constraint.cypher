// Neo4j 5: one uniqueness constraint on id per label.
CREATE CONSTRAINT IF NOT EXISTS FOR (n:__LABEL__) REQUIRE n.id IS UNIQUE
