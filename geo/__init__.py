"""Pure geospatial library: coordinate systems, the China outline, walking networks."""
