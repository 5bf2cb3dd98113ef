"""Use cases: each owns its connection or transaction and returns response-ready data."""
