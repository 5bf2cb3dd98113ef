"""Persistence: tables, sessions, the spatial SQL helpers and query functions."""
