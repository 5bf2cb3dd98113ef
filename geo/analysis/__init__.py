"""Planning analyses on the population surface: coverage, holes, site suggestions (pure)."""
