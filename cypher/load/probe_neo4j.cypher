// Which server is this? Neo4j answers; FalkorDB (the test server) has no dbms.components.
CALL dbms.components() YIELD name
RETURN name
