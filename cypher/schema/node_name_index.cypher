// An index on name per label, for lookups by name.
CREATE INDEX IF NOT EXISTS FOR (n:__LABEL__) ON (n.name)
