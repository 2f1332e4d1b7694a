// Empty the database: every node and relationship. Used by the test suite's server fixture only.
MATCH (n)
DETACH DELETE n
