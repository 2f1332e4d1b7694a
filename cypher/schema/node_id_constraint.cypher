// Ids are unique per label within a dataset (each dataset owns its nodes); also the index that
// MERGE on id uses.
CREATE CONSTRAINT IF NOT EXISTS FOR (n:__LABEL__) REQUIRE (n.id, n._dataset) IS UNIQUE
