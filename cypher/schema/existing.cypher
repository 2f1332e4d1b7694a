// The indexes there are (a uniqueness constraint owns one), to create only the missing ones.
SHOW INDEXES
YIELD entityType, labelsOrTypes, properties, owningConstraint
RETURN entityType, labelsOrTypes[0] AS name, properties, owningConstraint IS NOT NULL AS unique
