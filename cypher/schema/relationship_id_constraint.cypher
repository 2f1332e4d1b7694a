// Relationship ids are unique per type within a dataset; also the index MERGE on id uses.
CREATE CONSTRAINT IF NOT EXISTS FOR ()-[r:__TYPE__]-() REQUIRE (r.id, r._dataset) IS UNIQUE
