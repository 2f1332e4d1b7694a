// One node per dataset name: it records where the dataset was loaded from and serialises loads.
CREATE CONSTRAINT autograph_dataset_name IF NOT EXISTS
FOR (d:AutographDataset) REQUIRE d.name IS UNIQUE
