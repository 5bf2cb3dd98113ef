"""Query functions: (connection, typed arguments) -> typed rows. They never commit."""
