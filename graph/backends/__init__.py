"""Backends: networkx (the embedded default) and Neo4j over Bolt."""
