// The datasets loaded into this database: name, the folder each was loaded from, its last load.
MATCH (d:AutographDataset)
RETURN d.name AS name, d.source AS source, d.run AS run, d.loadedAt AS loadedAt
ORDER BY name
