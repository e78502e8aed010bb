"""dagster-dbt wiring: the dbt project, its manifest, and the dbt assets."""
