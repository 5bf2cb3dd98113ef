"""Pure geospatial library."""
