"""Domain, database and services. Nothing in this package may import Qt."""
