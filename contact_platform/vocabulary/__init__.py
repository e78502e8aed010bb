"""OMOP standardised vocabularies: the tables, the shipped demo subset, Athena and Usagi loads."""
