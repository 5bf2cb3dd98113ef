"""一老一小 service finder: elderly care and care for children under three."""
