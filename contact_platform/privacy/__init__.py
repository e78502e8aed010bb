"""Pseudonymisation and minimisation applied at ingestion, before anything reaches the database."""
