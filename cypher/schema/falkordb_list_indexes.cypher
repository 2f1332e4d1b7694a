// FalkorDB: the indexes that exist (node and relationship), to create only the missing ones.
CALL db.indexes() YIELD label, properties, entitytype
RETURN label, properties, entitytype
