"""CONTACT data platform: association extracts to a pseudonymised OMOP CDM 5.4 warehouse."""
