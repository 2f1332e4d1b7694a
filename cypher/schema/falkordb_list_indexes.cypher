// FalkorDB: the indexes that exist, to create only the missing ones.
CALL db.indexes() YIELD label, properties
RETURN label, properties
