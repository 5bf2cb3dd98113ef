"""Pure rules and vocabularies: no database, no HTTP."""
