"""HTTP layer: dependencies, schemas, thin routes."""
