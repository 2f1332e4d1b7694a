// PageRank and Louvain communities of the cooperation network, with Graph Data Science (servers with the GDS plugin only).
// Projects the cooperation relations as an undirected in-memory graph, adds PageRank, streams Louvain communities, drops the projection.
// @param graphName = "autograph-cooperation": a free name for the temporary projection
// @types cooperationTypes: cooperation
// @example {"graphName": "autograph-cooperation"}
MATCH (a)-[r]->(b)
WHERE type(r) IN $cooperationTypes
WITH gds.graph.project($graphName, a, b, {}, {undirectedRelationshipTypes: ['*']}) AS g
CALL gds.pageRank.mutate($graphName, {mutateProperty: 'pagerank'}) YIELD nodePropertiesWritten
CALL gds.louvain.stream($graphName) YIELD nodeId, communityId
WITH collect({id: gds.util.asNode(nodeId).id, community: communityId,
              pagerank: gds.util.nodeProperty($graphName, nodeId, 'pagerank')}) AS rows
CALL gds.graph.drop($graphName, false) YIELD graphName
UNWIND rows AS row
RETURN row.id AS id, row.pagerank AS pagerank, row.community AS community
ORDER BY pagerank DESC, id
